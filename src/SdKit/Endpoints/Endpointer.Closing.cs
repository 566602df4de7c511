using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SdKit.Endpoints;

/// <content>Closers are disposed in the background, in order, so an event never waits on a slow close.</content>
public sealed partial class Endpointer<T>
{
    private sealed class ClosingQueue : IAsyncDisposable
    {
        private readonly Channel<IAsyncDisposable> _pending = Channel.CreateUnbounded<IAsyncDisposable>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ILogger _logger;
        private readonly Task _loop;

        public ClosingQueue(ILogger logger)
        {
            _logger = logger;
            _loop = Task.Run(RunAsync);
        }

        public void Enqueue(IEnumerable<IAsyncDisposable?>? closers)
        {
            if (closers is null)
            {
                return;
            }

            foreach (var closer in closers)
            {
                if (closer is not null)
                {
                    _pending.Writer.TryWrite(closer);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _pending.Writer.TryComplete();
            await _loop.ConfigureAwait(false);
        }

        private async Task RunAsync()
        {
            await foreach (var closer in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    await closer.DisposeAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One failing closer must not stop the others from being disposed.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    EndpointerLog.CloserFailed(_logger, ex);
                }
            }
        }
    }
}

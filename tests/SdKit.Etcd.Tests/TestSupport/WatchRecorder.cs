using System.Threading.Channels;
using SdKit.Client;

namespace SdKit.Etcd.Tests.TestSupport;

/// <summary>Runs a client's watch in the background and lets a test await a snapshot that satisfies a condition.</summary>
internal sealed class WatchRecorder : IAsyncDisposable
{
    private readonly Channel<IReadOnlyList<string>> _snapshots = Channel.CreateUnbounded<IReadOnlyList<string>>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public WatchRecorder(IDiscoveryClient client, string servicePath)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var snapshot in client.WatchAsync(servicePath, _stop.Token))
                {
                    await _snapshots.Writer.WriteAsync([.. snapshot.Order(StringComparer.Ordinal)]);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Error = ex;
            }
            finally
            {
                _snapshots.Writer.TryComplete();
            }
        });
    }

    /// <summary>Gets the exception that ended the watch, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Gets every snapshot seen so far.</summary>
    public List<IReadOnlyList<string>> Seen { get; } = [];

    /// <summary>Waits for a snapshot equal to <paramref name="expected"/> (in any order).</summary>
    public Task<IReadOnlyList<string>> WaitForAsync(params string[] expected)
    {
        var sorted = expected.Order(StringComparer.Ordinal).ToArray();
        return WaitForAsync(s => s.SequenceEqual(sorted), $"[{string.Join(", ", sorted)}]");
    }

    /// <summary>Waits for a snapshot that satisfies <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> condition, string description, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeouts.Event);
        try
        {
            while (await _snapshots.Reader.WaitToReadAsync(cts.Token))
            {
                while (_snapshots.Reader.TryRead(out var snapshot))
                {
                    Seen.Add(snapshot);
                    if (condition(snapshot))
                    {
                        return snapshot;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No snapshot {description} within {(timeout ?? Timeouts.Event).TotalSeconds} s; seen: {Describe()}; watch error: {Error?.Message ?? "none"}");
        }

        throw new InvalidOperationException($"The watch ended before a snapshot {description}; seen: {Describe()}; error: {Error}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }

    private string Describe() => string.Join(" ", Seen.Select(s => $"[{string.Join(", ", s)}]"));
}

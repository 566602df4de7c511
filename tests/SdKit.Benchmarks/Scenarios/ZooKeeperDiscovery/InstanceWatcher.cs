using System.Diagnostics;
using SdKit.Instances;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>One subscriber of an <see cref="Instancer"/> that stamps (with <see cref="Stopwatch"/>) when an expected instance appears or goes.</summary>
internal sealed class InstanceWatcher : IObserver<InstanceEvent>, IAsyncDisposable
{
    private readonly Instancer _instancer;
    private readonly IDisposable _subscription;
    private readonly object _gate = new();
    private Func<InstanceEvent, bool>? _condition;
    private TaskCompletionSource<long>? _seen;

    public InstanceWatcher(Instancer instancer)
    {
        _instancer = instancer;
        _subscription = instancer.Subscribe(this);
    }

    /// <summary>Completes with the timestamp of the first event (current or later) satisfying <paramref name="condition"/>.</summary>
    public Task<long> Expect(Func<InstanceEvent, bool> condition)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _condition = condition;
            _seen = seen;
        }

        OnNext(_instancer.Current);
        return seen.Task;
    }

    public void OnNext(InstanceEvent value)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_condition is { } condition && condition(value))
            {
                _seen!.TrySetResult(now);
                _condition = null;
            }
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _instancer.DisposeAsync().ConfigureAwait(false);
    }
}

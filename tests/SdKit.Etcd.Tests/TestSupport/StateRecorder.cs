using SdKit.Client;

namespace SdKit.Etcd.Tests.TestSupport;

/// <summary>Records a client's connection states and lets a test await one.</summary>
internal sealed class StateRecorder : IObserver<ConnectionState>, IDisposable
{
    private readonly object _gate = new();
    private readonly List<ConnectionState> _states = [];
    private readonly List<(ConnectionState State, TaskCompletionSource Seen)> _waiters = [];
    private readonly IDisposable _subscription;

    public StateRecorder(IDiscoveryClient client) => _subscription = client.StateChanges.Subscribe(this);

    public IReadOnlyList<ConnectionState> States
    {
        get
        {
            lock (_gate)
            {
                return [.. _states];
            }
        }
    }

    /// <summary>Waits until <paramref name="state"/> has been seen after the first <paramref name="after"/> states.</summary>
    public async Task WaitForAsync(ConnectionState state, int after = 0, TimeSpan? timeout = null)
    {
        TaskCompletionSource seen;
        lock (_gate)
        {
            if (_states.Skip(after).Contains(state))
            {
                return;
            }

            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((state, seen));
        }

        try
        {
            await seen.Task.WaitAsync(timeout ?? Timeouts.Event);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"State {state} not reached within {(timeout ?? Timeouts.Event).TotalSeconds} s; states: {string.Join(" -> ", States)}");
        }
    }

    public void OnNext(ConnectionState value)
    {
        lock (_gate)
        {
            _states.Add(value);
            foreach (var waiter in _waiters.Where(w => w.State == value).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();
}

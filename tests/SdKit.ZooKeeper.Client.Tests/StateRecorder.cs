namespace SdKit.ZooKeeper.Client.Tests;

/// <summary>Records a client's session states and lets a test await the next occurrence of one.</summary>
internal sealed class StateRecorder : IDisposable
{
    private readonly List<ZooKeeperSessionState> _states = [];
    private readonly List<(ZooKeeperSessionState State, int After, TaskCompletionSource Seen)> _waiters = [];
    private readonly IDisposable _subscription;

    public StateRecorder(ZooKeeperClient client)
    {
        _subscription = client.StateChanges.Subscribe(OnState);
    }

    public IReadOnlyList<ZooKeeperSessionState> States
    {
        get
        {
            lock (_states)
            {
                return [.. _states];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_states)
            {
                return _states.Count;
            }
        }
    }

    /// <summary>Waits until <paramref name="state"/> is recorded at an index of at least <paramref name="after"/>.</summary>
    public Task WaitForAsync(ZooKeeperSessionState state, int after, TimeSpan timeout)
    {
        lock (_states)
        {
            for (var i = after; i < _states.Count; i++)
            {
                if (_states[i] == state)
                {
                    return Task.CompletedTask;
                }
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((state, after, seen));
            return seen.Task.WaitAsync(timeout);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnState(ZooKeeperSessionState state)
    {
        lock (_states)
        {
            _states.Add(state);
            foreach (var waiter in _waiters.Where(w => w.State == state && _states.Count - 1 >= w.After).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}

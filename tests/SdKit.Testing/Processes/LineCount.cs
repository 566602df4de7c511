namespace SdKit.Testing.Processes;

/// <summary>
/// Counts the output lines of a <see cref="ServerProcess"/> that contain a text, from the moment it was made, so a
/// test can await "the server has logged this N times" as the lines arrive instead of re-reading the log on a timer.
/// </summary>
public sealed class LineCount
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource<int> Reached)> _waiters = [];
    private int _count;

    internal LineCount(string text) => Text = text;

    /// <summary>Gets the text counted.</summary>
    public string Text { get; }

    /// <summary>Gets the number of matching lines so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes with the count once at least <paramref name="count"/> matching lines have arrived.</summary>
    /// <param name="count">The number of lines to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The count reached; fails with <see cref="TimeoutException"/> when the time is up.</returns>
    public Task<int> WaitForAsync(int count, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_count >= count)
            {
                return Task.FromResult(_count);
            }

            var reached = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(timeout);
        }
    }

    internal void Offer(string line)
    {
        if (!line.Contains(Text, StringComparison.Ordinal))
        {
            return;
        }

        lock (_gate)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult(_count);
            }
        }
    }
}

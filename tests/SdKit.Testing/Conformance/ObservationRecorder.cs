namespace SdKit.Testing.Conformance;

/// <summary>
/// Records what an <see cref="IObservable{T}"/> delivers and lets a test await a value matching a condition, with a
/// timeout, instead of sleeping.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class ObservationRecorder<T> : IObserver<T>
{
    private readonly object _gate = new();
    private readonly List<T> _values = [];
    private readonly List<(Func<T, bool> Condition, TaskCompletionSource<T> Found)> _waiters = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the default time a wait lasts before it fails.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets a copy of every value received so far, in order.</summary>
    public IReadOnlyList<T> Values
    {
        get
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }

    /// <summary>Gets a task that completes when the stream completes.</summary>
    public Task Completed => _completed.Task;

    /// <summary>Gets the error the stream ended with, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Waits for a value (already received or future) that satisfies <paramref name="condition"/>.</summary>
    /// <exception cref="TimeoutException">No such value arrived in time; the message lists what did.</exception>
    public async Task<T> WaitForAsync(Func<T, bool> condition, TimeSpan? timeout = null)
    {
        TaskCompletionSource<T> found;
        lock (_gate)
        {
            foreach (var value in _values)
            {
                if (condition(value))
                {
                    return value;
                }
            }

            found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching value within {timeout ?? DefaultTimeout}; received: [{string.Join(" | ", Values)}].");
        }
    }

    /// <summary>Waits for a value received after the <paramref name="skip"/> first ones that satisfies the condition.</summary>
    public async Task<T> WaitForNextAsync(int skip, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var index = 0;
        return await WaitForAsync(value => index++ >= skip && condition(value), timeout).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void OnNext(T value)
    {
        List<TaskCompletionSource<T>> matched = [];
        lock (_gate)
        {
            _values.Add(value);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(value))
                {
                    matched.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var found in matched)
        {
            found.TrySetResult(value);
        }
    }

    /// <inheritdoc/>
    public void OnError(Exception error)
    {
        Error = error;
        _completed.TrySetResult();
    }

    /// <inheritdoc/>
    public void OnCompleted() => _completed.TrySetResult();
}

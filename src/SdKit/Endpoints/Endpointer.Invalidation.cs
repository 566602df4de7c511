namespace SdKit.Endpoints;

/// <content>go-kit's InvalidateOnError: a deadline set by the first error, checked by a timer (not by readers).</content>
public sealed partial class Endpointer<T>
{
    private Exception? _firstError;
    private ITimer? _deadline;
    private bool _invalidated;

    private void StartDeadlineLocked(Exception error, TimeSpan timeout)
    {
        if (_firstError is not null)
        {
            return;
        }

        _firstError = error;
        if (timeout <= TimeSpan.Zero)
        {
            InvalidateLocked();
            return;
        }

        // A timer keeps the read path free of clock reads: readers only ever load one reference.
        _deadline = _options.TimeProvider.CreateTimer(static state => ((Endpointer<T>)state!).OnDeadline(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    private void CancelDeadlineLocked()
    {
        _deadline?.Dispose();
        _deadline = null;
        _firstError = null;
        _invalidated = false;
    }

    private void OnDeadline()
    {
        lock (_writeGate)
        {
            if (!_disposed && _firstError is not null && !_invalidated)
            {
                InvalidateLocked();
            }
        }
    }

    private void InvalidateLocked()
    {
        _invalidated = true;
        var closers = _current.Closers;
        EndpointerLog.Invalidated(_logger, _current.Count, _firstError!);
        Publish(EndpointSet<T>.Failed(_firstError!));
        _closing.Enqueue(closers);
    }
}

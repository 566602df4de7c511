using System.Diagnostics;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// Subscribes to one stage of the pipeline (an Instancer's events, an Endpointer's sets) and stamps, with
/// <see cref="Stopwatch"/>, the first value that satisfies the condition set by <see cref="Expect"/>.
/// </summary>
internal sealed class StampingObserver<T> : IObserver<T>, IDisposable
{
    private readonly object _gate = new();
    private readonly IDisposable _subscription;
    private Func<T, bool>? _condition;
    private TaskCompletionSource<long>? _seen;
    private T? _last;

    public StampingObserver(IObservable<T> source) => _subscription = source.Subscribe(this);

    /// <summary>Gets the number of values received.</summary>
    public long Count { get; private set; }

    /// <summary>Completes with the timestamp of the first value (the last one received, or a later one) satisfying <paramref name="condition"/>.</summary>
    public Task<long> Expect(Func<T, bool> condition)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_last is { } last && condition(last))
            {
                seen.TrySetResult(now);
                return seen.Task;
            }

            _condition = condition;
            _seen = seen;
        }

        return seen.Task;
    }

    public void OnNext(T value)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            Count++;
            _last = value;
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

    public void Dispose() => _subscription.Dispose();
}

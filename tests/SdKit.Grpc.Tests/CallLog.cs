using System.Diagnostics;

namespace SdKit.Grpc.Tests;

/// <summary>
/// Every call the test's callers made: when it started, which backend answered (or how it failed). Tests await
/// counts here instead of sleeping.
/// </summary>
internal sealed class CallLog
{
    private readonly List<Call> _calls = [];
    private readonly List<(Func<IReadOnlyList<Call>, bool> Condition, TaskCompletionSource Reached)> _waiters = [];

    public void Add(Call call)
    {
        List<TaskCompletionSource> reached = [];
        lock (_calls)
        {
            _calls.Add(call);
            foreach (var waiter in _waiters.ToList())
            {
                if (waiter.Condition(_calls))
                {
                    _waiters.Remove(waiter);
                    reached.Add(waiter.Reached);
                }
            }
        }

        reached.ForEach(r => r.TrySetResult());
    }

    public IReadOnlyList<Call> Snapshot()
    {
        lock (_calls)
        {
            return [.. _calls];
        }
    }

    /// <summary>Waits until <paramref name="count"/> more calls have been answered after <paramref name="since"/>, by each of <paramref name="backends"/>.</summary>
    public Task WaitForAnswersAsync(long since, IReadOnlyCollection<string> backends, int count)
        => WaitAsync(calls => backends.All(b => calls.Count(c => c.Started > since && c.Backend == b) >= count), $"{count} answers from each of {string.Join(", ", backends)}");

    public Task WaitAsync(Func<IReadOnlyList<Call>, bool> condition, string what)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_calls)
        {
            if (condition(_calls))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((condition, reached));
        }

        return reached.Task.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(
            t => t.IsFaulted ? throw new TimeoutException($"Waited 60 s for {what}; calls so far: {Describe()}", t.Exception) : t,
            TaskScheduler.Default).Unwrap();
    }

    public string Describe()
    {
        var calls = Snapshot();
        return string.Join(", ", calls.GroupBy(c => c.Backend ?? ("failed: " + c.Error)).Select(g => $"{g.Key} x{g.Count()}"));
    }

    /// <summary>One call.</summary>
    public sealed record Call(long Started, long Ended, string? Backend, string? Error);

    public static long Now => Stopwatch.GetTimestamp();
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>The answered calls with the time each was answered; a test awaits a count instead of sleeping.</summary>
internal sealed class AnswerLog : IEnumerable<(long At, string Authority)>
{
    private readonly List<(long At, string Authority)> _answers = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    public int Count
    {
        get
        {
            lock (_answers)
            {
                return _answers.Count;
            }
        }
    }

    public void Add(string authority)
    {
        List<TaskCompletionSource> reached = [];
        lock (_answers)
        {
            _answers.Add((Stopwatch.GetTimestamp(), authority));
            reached.AddRange(_waiters.Where(w => w.Count <= _answers.Count).Select(w => w.Reached));
            _waiters.RemoveAll(w => w.Count <= _answers.Count);
        }

        reached.ForEach(r => r.TrySetResult());
    }

    public Task WaitForCountAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_answers)
        {
            if (_answers.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, reached));
        }

        return reached.Task.WaitAsync(TestTimeouts.Start);
    }

    /// <summary>Calls <paramref name="http"/> in a loop until <paramref name="stop"/>, logging each answer and queueing each failure.</summary>
    public async Task CallUntilStoppedAsync(HttpClient http, ConcurrentQueue<Exception> failures, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var answer = await http.GetStringAsync(new Uri("/", UriKind.Relative), stop);
                Add(answer);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures.Enqueue(ex);
            }
        }
    }

    public IEnumerator<(long At, string Authority)> GetEnumerator()
    {
        lock (_answers)
        {
            return _answers.ToList().GetEnumerator();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

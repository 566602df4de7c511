using System.Collections.Concurrent;

namespace SdKit.Soak.Checking;

/// <summary>
/// Hooks what .NET lets a process observe about errors nobody handled: faulted tasks that were never awaited
/// (<see cref="TaskScheduler.UnobservedTaskException"/>, surfaced by the finalizer after a GC) and exceptions that
/// end a thread (<see cref="AppDomain.UnhandledException"/>). First-chance exceptions are only counted by type: a
/// fault run throws many handled ones on purpose, and the counts show which paths were exercised.
/// </summary>
internal sealed class ErrorWatch : IDisposable
{
    private readonly Action<string> _log;
    private readonly ConcurrentQueue<string> _unobserved = new();

    public ErrorWatch(Action<string> log)
    {
        _log = log;
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
    }

    public ConcurrentDictionary<string, int> FirstChanceByType { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Unobserved => _unobserved;

    /// <summary>Records an unobserved error reported by another process (a registrant).</summary>
    public void Report(string source, string message)
    {
        _unobserved.Enqueue($"{source}: {message}");
        _log($"UNOBSERVED {source}: {message}");
    }

    public void Dispose()
    {
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
    }

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        Report("unobserved task", e.Exception.Flatten().InnerExceptions.Select(x => $"{x.GetType().Name}: {x.Message}\n{x.StackTrace}").FirstOrDefault() ?? e.Exception.Message);
        e.SetObserved();
    }

    private void OnUnhandled(object sender, UnhandledExceptionEventArgs e)
        => Report("unhandled", e.ExceptionObject is Exception x ? $"{x.GetType().Name}: {x.Message}\n{x.StackTrace}" : e.ExceptionObject.ToString() ?? "?");

    private void OnFirstChance(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        => FirstChanceByType.AddOrUpdate(e.Exception.GetType().Name, 1, static (_, n) => n + 1);
}

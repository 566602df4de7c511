using System.Collections.Concurrent;
using SdKit.Endpoints;

namespace SdKit.Tests.Support;

/// <summary>A factory that records every call and hands out closers that record their disposal.</summary>
internal sealed class RecordingFactory
{
    private readonly ConcurrentQueue<string> _created = new();
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);

    public ConcurrentQueue<RecordingCloser> Closers { get; } = new();

    public IReadOnlyList<string> Created => [.. _created];

    public EndpointFactory<string> Factory => instance =>
    {
        if (_failing.ContainsKey(instance))
        {
            throw new InvalidOperationException($"factory refuses {instance}");
        }

        _created.Enqueue(instance);
        var closer = new RecordingCloser(instance);
        Closers.Enqueue(closer);
        return ("endpoint:" + instance, closer);
    };

    public void FailFor(string instance) => _failing[instance] = true;

    public void Heal(string instance) => _failing.TryRemove(instance, out _);

    public RecordingCloser[] ClosersOf(string instance) => [.. Closers.Where(c => c.Instance == instance)];
}

/// <summary>A closer that counts its disposals and lets a test await the first.</summary>
internal sealed class RecordingCloser(string instance) : IAsyncDisposable
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public string Instance { get; } = instance;

    public int DisposeCount => Volatile.Read(ref _count);

    public Task Disposed => _disposed.Task;

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _count);
        _disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}

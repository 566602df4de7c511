using BenchmarkDotNet.Attributes;
using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// One change of a watched service delivered to 1,000 subscribers of an <see cref="Instancer"/> over the in-memory
/// backend: from the registration to the moment the last subscriber has the new event.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class InstancerBroadcastBenchmarks
{
    private const string Path = "/bench/broadcast";
    private InMemoryRegistry _registry = null!;
    private InMemoryDiscoveryClient _writer = null!;
    private InMemoryDiscoveryClient _reader = null!;
    private Instancer _instancer = null!;
    private List<IDisposable> _subscriptions = null!;
    private RegisteredEntry? _extra;
    private int _pending;
    private TaskCompletionSource _delivered = new();

    /// <summary>Gets or sets the number of subscribers.</summary>
    [Params(1_000)]
    public int Subscribers { get; set; }

    /// <summary>Starts the instancer and subscribes the counting observers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _registry = new InMemoryRegistry();
        _writer = _registry.CreateClient();
        _reader = _registry.CreateClient();
        _writer.RegisterAsync(new ServiceEntry(Path, "10.0.0.1:8080")).AsTask().GetAwaiter().GetResult();
        _instancer = new Instancer(_reader, Path);
        var observer = System.Reactive.Observer.Create<InstanceEvent>(_ =>
        {
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _delivered.TrySetResult();
            }
        });
        _pending = int.MaxValue;
        _subscriptions = [.. Enumerable.Range(0, Subscribers).Select(_ => _instancer.Subscribe(observer))];
    }

    /// <summary>Stops everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _subscriptions.ForEach(s => s.Dispose());
        _instancer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Adds or removes one instance and waits until every subscriber has the new event.</summary>
    [Benchmark]
    public async Task ChangeDeliveredToAll()
    {
        _delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, Subscribers);
        if (_extra is null)
        {
            _extra = await _writer.RegisterAsync(new ServiceEntry(Path, "10.0.0.2:8080")).ConfigureAwait(false);
        }
        else
        {
            await _writer.DeregisterAsync(_extra).ConfigureAwait(false);
            _extra = null;
        }

        await _delivered.Task.ConfigureAwait(false);
    }
}

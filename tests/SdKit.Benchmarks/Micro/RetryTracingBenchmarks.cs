using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// What tracing costs a call through <see cref="Retry"/>: one call that succeeds at once, over a round robin of three
/// endpoints that answer synchronously, with nobody listening to the <c>SdKit</c> source (the sites only ask whether it
/// has listeners) and with an <see cref="ActivityListener"/> recording every span (a call span and an attempt span).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class RetryTracingBenchmarks
{
    private Endpoint<int, int> _retry = null!;
    private ActivityListener? _listener;
    private Endpointer<Endpoint<int, int>> _endpointer = null!;

    /// <summary>Gets or sets a value indicating whether a listener records the spans.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    /// <summary>Builds the retrying endpoint and, when listening, starts the listener.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _endpointer = new Endpointer<Endpoint<int, int>>(
            new SdKit.Instances.FixedInstancer(MicroSetup.Instances(3)),
            static _ => (static (request, _) => ValueTask.FromResult(request + 1), null));
        _retry = Retry.Create(Balancers.RoundRobin(_endpointer));
        if (Listening)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == SdKitDiagnostics.ActivitySourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_listener);
        }
    }

    /// <summary>Stops the listener.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _endpointer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One call that succeeds at the first attempt.</summary>
    /// <returns>The response.</returns>
    [Benchmark]
    public ValueTask<int> Call() => _retry(41, CancellationToken.None);
}

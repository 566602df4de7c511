using BenchmarkDotNet.Attributes;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// Decoding one registry string into a <see cref="ServiceInstance"/> (issue #15): the seed's plain <c>host:port</c>
/// beside Curator's x-discovery JSON and SdKit's JSON, each with three metadata entries (version, zone, weight).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class InstanceDecodeBenchmarks
{
    private readonly CuratorJsonCodec _curator = new("typed");
    private string _plain = null!;
    private string _curatorJson = null!;
    private string _sdkitJson = null!;

    /// <summary>Encodes the three values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var metadata = new Dictionary<string, string> { ["version"] = "1.4.2", ["zone"] = "zone-1", ["weight"] = "1" };
        var instance = new ServiceInstance("3f0f7a0e-8cc5-4a63-9a3d-5c1e9a0b7d21", "10.0.12.7", 8080, metadata: metadata);
        _plain = "10.0.12.7:8080";
        _curatorJson = _curator.Encode(instance);
        _sdkitJson = SdKitJsonCodec.Instance.Encode(instance);
    }

    /// <summary>The seed's <c>host:port</c>.</summary>
    [Benchmark(Baseline = true)]
    public ServiceInstance? Plain() => PlainInstanceCodec.Instance.Decode(_plain).Instance;

    /// <summary>Curator's JSON with a map payload.</summary>
    [Benchmark]
    public ServiceInstance? Curator() => _curator.Decode(_curatorJson).Instance;

    /// <summary>SdKit's JSON with metadata.</summary>
    [Benchmark]
    public ServiceInstance? SdKit() => SdKitJsonCodec.Instance.Decode(_sdkitJson).Instance;
}

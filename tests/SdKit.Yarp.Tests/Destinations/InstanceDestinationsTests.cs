using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Yarp.Destinations;
using Xunit;
using Yarp.ReverseProxy.Configuration;

namespace SdKit.Yarp.Tests.Destinations;

public sealed class InstanceDestinationsTests
{
    private static readonly DestinationConfig s_configured = new() { Address = "sdkit:///web", Metadata = new Dictionary<string, string> { ["team"] = "edge" } };

    [Fact]
    public void Create_JsonInstance_AddressFromTheDecodedInstanceMetadataWeightZoneAndIdOnTheDestination()
    {
        var raw = SdKitJsonCodec.Instance.Encode(new ServiceInstance("a-1", "127.0.0.1", 5001, metadata: [new("version", "2"), new("team", "core")], weight: 4, zone: "z1"));

        var (destination, id, disabled) = InstanceDestinations.Create(s_configured, "web", raw, "http", SdKitJsonCodec.Instance);

        Assert.False(disabled);
        Assert.Equal("a-1", id);
        Assert.Equal("http://127.0.0.1:5001/", destination!.Address);
        Assert.Equal("2", destination.Metadata!["version"]);
        Assert.Equal("edge", destination.Metadata["team"]);
        Assert.Equal("4", destination.Metadata[InstanceDestinations.WeightKey]);
        Assert.Equal("z1", destination.Metadata[InstanceDestinations.ZoneKey]);
        Assert.Equal(raw, destination.Metadata[InstanceDestinations.InstanceKey]);
    }

    [Fact]
    public void Create_DisabledOrUndecodableJsonInstance_IsLeftOutSayingWhich()
    {
        var disabledRaw = SdKitJsonCodec.Instance.Encode(new ServiceInstance("b", "127.0.0.1", 5002, scheme: "https", enabled: false));

        var disabled = InstanceDestinations.Create(s_configured, "web", disabledRaw, "http", SdKitJsonCodec.Instance);
        var broken = InstanceDestinations.Create(s_configured, "web", "{\"host\":", "http", SdKitJsonCodec.Instance);

        Assert.Equal((null, "b", true), (disabled.Destination, disabled.Id, disabled.Disabled));
        Assert.Null(broken.Destination);
        Assert.False(broken.Disabled);
    }

    [Theory]
    [InlineData("127.0.0.1:5003", "http://127.0.0.1:5003")]
    [InlineData("https://127.0.0.1:5004", "https://127.0.0.1:5004/")]
    public void Create_PlainInstance_AddressAsBeforeNamedByItsString(string raw, string address)
    {
        var (destination, id, _) = InstanceDestinations.Create(s_configured, "web", raw, "http", PlainInstanceCodec.Instance);

        Assert.Equal(address, destination!.Address);
        Assert.Equal(raw, id);
        Assert.Equal("edge", destination.Metadata!["team"]);
    }
}

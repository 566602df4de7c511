using SdKit.Grpc.Resolution;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using Xunit;

namespace SdKit.Grpc.Tests.Resolution;

public sealed class InstanceAddressesTests
{
    [Fact]
    public void TryCreate_JsonInstance_DialsItsHostAndPortAndCarriesTheTypedInstance()
    {
        var typed = new ServiceInstance("g-1", "127.0.0.1", 6001, metadata: [new("version", "3")], weight: 2, zone: "z2");

        var created = InstanceAddresses.TryCreate(SdKitJsonCodec.Instance.Encode(typed), "greeter", SdKitJsonCodec.Instance, out var address, out var disabled);

        Assert.True(created);
        Assert.False(disabled);
        Assert.Equal("127.0.0.1:6001", address!.EndPoint.ToString());
        Assert.True(address.Attributes.TryGetValue(SdKitBalancerAttributes.TypedInstance, out var carried));
        Assert.Equal(typed, carried);
        Assert.True(address.Attributes.TryGetValue(SdKitBalancerAttributes.Service, out var service));
        Assert.Equal("greeter", service);
    }

    [Fact]
    public void TryCreate_DisabledJsonInstance_IsLeftOutAsDisabled()
    {
        var raw = SdKitJsonCodec.Instance.Encode(new ServiceInstance("g-2", "127.0.0.1", 6002, enabled: false));

        Assert.False(InstanceAddresses.TryCreate(raw, "greeter", SdKitJsonCodec.Instance, out _, out var disabled));
        Assert.True(disabled);
        Assert.False(InstanceAddresses.TryCreate("{\"host\":", "greeter", SdKitJsonCodec.Instance, out _, out var broken));
        Assert.False(broken);
    }

    [Fact]
    public void TryCreate_PlainInstance_ReadAsBeforeWithItsTypedView()
    {
        Assert.True(InstanceAddresses.TryCreate("http://127.0.0.1:6003", "greeter", PlainInstanceCodec.Instance, out var address, out _));

        Assert.Equal("127.0.0.1:6003", address!.EndPoint.ToString());
        Assert.True(address.Attributes.TryGetValue(SdKitBalancerAttributes.TypedInstance, out var typed));
        Assert.Equal("http", typed!.Scheme);
        Assert.False(InstanceAddresses.TryCreate("not an address", "greeter", PlainInstanceCodec.Instance, out _, out _));
    }
}

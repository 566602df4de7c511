using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Tests.Instances.Codecs;

public sealed class InstanceCodecTests
{
    // Captured from a live node written by Curator 5.4.0's JsonInstanceSerializer (docs in peer-facts.md).
    private const string CuratorSample = """{"name":"hello","id":"391a53b6-d01c-4d16-afa4-b26d37489c91","address":"127.0.0.1","port":8080,"sslPort":null,"payload":{"@class":"java.util.HashMap","version":"2"},"registrationTimeUTC":1796612849968,"serviceType":"DYNAMIC","uriSpec":null}""";

    [Theory]
    [InlineData("10.0.0.1:8080", "10.0.0.1", 8080, null)]
    [InlineData("[::1]:9000", "::1", 9000, null)]
    [InlineData("http://svc.local:81/path", "svc.local", 81, "http")]
    [InlineData("https://svc.local", "svc.local", 443, "https")]
    [InlineData("bare-host", "bare-host", 0, null)]
    public void Plain_Decode_ReadsAddressAndKeepsRaw(string raw, string host, int port, string? scheme)
    {
        var result = PlainInstanceCodec.Instance.Decode(raw);

        Assert.True(result.Succeeded, result.Failure);
        var instance = result.Instance!;
        Assert.Equal(raw, instance.Id);
        Assert.Equal(host, instance.Host);
        Assert.Equal(port, instance.Port);
        Assert.Equal(scheme, instance.Scheme);
        Assert.Equal(raw, instance.Raw);
        Assert.Empty(instance.Metadata);
        Assert.Equal(1, instance.Weight);
        Assert.Equal(raw, PlainInstanceCodec.Instance.Encode(instance));
        Assert.Equal(instance, ServiceInstance.FromRaw(raw));
    }

    [Theory]
    [InlineData("10.0.0.1:http")]
    [InlineData("10.0.0.1:70000")]
    [InlineData("[::1")]
    [InlineData("")]
    public void Plain_Decode_BadValue_FailsNamingIt(string raw)
    {
        var result = PlainInstanceCodec.Instance.Decode(raw);

        Assert.False(result.Succeeded);
        Assert.Contains($"'{raw}'", result.Failure, StringComparison.Ordinal);
        var ex = Assert.Throws<FormatException>(() => ServiceInstance.FromRaw(raw));
        Assert.Contains($"'{raw}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_Encode_BuiltInCode_WritesAddress()
    {
        Assert.Equal("[::1]:80", PlainInstanceCodec.Instance.Encode(new ServiceInstance("x", "::1", 80)));
        Assert.Equal("https://a:1", PlainInstanceCodec.Instance.Encode(new ServiceInstance("x", "a", 1, "https")));
    }

    [Fact]
    public void SeedEtcd_DecodesGoJsonAndRoundTrips()
    {
        var codec = new SeedEtcdJsonCodec(port: 8080);

        var instance = codec.Decode("""{"IP":"192.168.1.26"}""").Instance!;

        Assert.Equal("192.168.1.26", instance.Host);
        Assert.Equal(8080, instance.Port);
        Assert.Equal("192.168.1.26", instance.Id);
        Assert.Equal("""{"IP":"192.168.1.26"}""", codec.Encode(instance));
        Assert.Equal(9090, codec.Decode(codec.Encode(new ServiceInstance("i", "10.0.0.2", 9090))).Instance!.Port);
    }

    [Theory]
    [InlineData("""{"IP":5}""", "'IP'")]
    [InlineData("""{"Name":"x"}""", "no 'IP'")]
    [InlineData("192.168.1.26", "not valid JSON")]
    [InlineData("[1]", "not an object")]
    public void SeedEtcd_BadValue_FailsNamingIt(string raw, string expected)
    {
        var result = new SeedEtcdJsonCodec().Decode(raw);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Failure, StringComparison.Ordinal);
        Assert.Contains(raw, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void SdKitJson_RoundTripsEveryField()
    {
        var original = new ServiceInstance(
            "a", "10.0.0.1", 80, "http", [new("version", "2"), new("tier", "gold")], weight: 3, zone: "z1", enabled: false);

        var json = SdKitJsonCodec.Instance.Encode(original);
        var decoded = SdKitJsonCodec.Instance.Decode(json).Instance!;

        Assert.Equal(original, decoded);
        Assert.Equal(json, decoded.Raw);
        Assert.Equal("""{"id":"a","host":"10.0.0.1","port":80,"scheme":"http","weight":3,"zone":"z1","enabled":false,"metadata":{"tier":"gold","version":"2"}}""", json);
    }

    [Fact]
    public void SdKitJson_Defaults_IdFromAddressWeightOneEnabled()
    {
        var decoded = SdKitJsonCodec.Instance.Decode("""{"host":"h","port":5}""").Instance!;

        Assert.Equal("h:5", decoded.Id);
        Assert.Equal(1, decoded.Weight);
        Assert.True(decoded.Enabled);
    }

    [Theory]
    [InlineData("""{"host":"h","weight":-1}""", "'weight' is -1")]
    [InlineData("""{"host":"h","port":70000}""", "'port' is 70000")]
    [InlineData("""{"host":"h","port":"80"}""", "'port' is \"80\"")]
    [InlineData("""{"host":"h","metadata":{"v":2}}""", "metadata 'v' is 2")]
    [InlineData("""{"port":80}""", "no 'host'")]
    [InlineData("""{"host":""", "not valid JSON")]
    public void SdKitJson_BadValue_FailsNamingIt(string raw, string expected)
    {
        var result = SdKitJsonCodec.Instance.Decode(raw);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Failure, StringComparison.Ordinal);
        Assert.Contains(raw, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Curator_DecodesWhatCuratorWrites()
    {
        var instance = new CuratorJsonCodec("hello").Decode(CuratorSample).Instance!;

        Assert.Equal("391a53b6-d01c-4d16-afa4-b26d37489c91", instance.Id);
        Assert.Equal("127.0.0.1", instance.Host);
        Assert.Equal(8080, instance.Port);
        Assert.Null(instance.Scheme);
        Assert.True(instance.Enabled);
        Assert.Equal(new Dictionary<string, string> { ["version"] = "2" }, instance.Metadata);
        Assert.Equal(CuratorSample, instance.Raw);
    }

    [Fact]
    public void Curator_PayloadKeysAndShortValues_SharedBetweenInstancesLongOnesNot()
    {
        var codec = new CuratorJsonCodec("hello");
        var longValue = new string('x', 40);
        string Raw(string id) => """{"id":"ID","address":"h","port":1,"payload":{"@class":"java.util.HashMap","zone":"zone-1","note":"LONG","z\u006fne2":"a\u00e9"}}""".Replace("ID", id, StringComparison.Ordinal).Replace("LONG", longValue, StringComparison.Ordinal);

        var first = codec.Decode(Raw("a")).Instance!;
        var second = codec.Decode(Raw("b")).Instance!;

        // What ten thousand instances of one service repeat is held once; escaped text is decoded as before.
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "zone-1", ["note"] = longValue, ["zone2"] = "a\u00e9" }, second.Metadata);
        Assert.Same(first.Metadata.Keys.First(k => k == "zone"), second.Metadata.Keys.First(k => k == "zone"));
        Assert.Same(first.Metadata["zone"], second.Metadata["zone"]);
        Assert.NotSame(first.Metadata["note"], second.Metadata["note"]);
        Assert.Equal(("a", "b"), (first.Id, second.Id));
    }

    [Theory]
    [InlineData("""{"id":"a","address":"h","port":1,"payload":{"@class":"java.util.HashMap","k":"v"}}""", "v")]
    [InlineData("""{"\u0069d":"a","address":"h","port":1,"payload":{"k":"v"}}""", "v")]
    [InlineData("""{"id":"a","address":"h","port":1,"payload":{"k":7}}""", "7")]
    [InlineData("""{"id":"a","address":"h","port":1,"extra":[1,{"x":null}],"payload":{"k":"v"},"enabled":true}""", "v")]
    [InlineData("""{"id":"a","address":"h","port":1,"sslPort":null,"payload":{"k":"v\u00e9"},"uriSpec":null}""", "v\u00e9")]
    public void Curator_OrdinaryAndUnusualValues_DecodeAlike(string raw, string value)
    {
        var instance = new CuratorJsonCodec("hello").Decode(raw).Instance!;

        Assert.Equal(("a", "h", 1), (instance.Id, instance.Host, instance.Port));
        Assert.Equal(new Dictionary<string, string> { ["k"] = value }, instance.Metadata);
        Assert.True(instance.Enabled);
        Assert.Same(raw, instance.Raw);
    }

    [Fact]
    public void Curator_Encode_WritesCuratorShapeAndRoundTrips()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1796612849968));
        var codec = new CuratorJsonCodec("hello", clock);
        var decoded = codec.Decode(CuratorSample).Instance!;

        var json = codec.Encode(decoded);

        Assert.Equal(Expected(), json);
        Assert.Equal(decoded, codec.Decode(json).Instance);

        static string Expected() => """{"name":"hello","id":"391a53b6-d01c-4d16-afa4-b26d37489c91","address":"127.0.0.1","port":8080,"sslPort":null,"payload":{"@class":"java.util.HashMap","version":"2"},"registrationTimeUTC":1796612849968,"serviceType":"DYNAMIC","uriSpec":null,"enabled":true}""";
    }

    [Fact]
    public void Curator_SslOnly_IsHttpsAndRoundTrips()
    {
        var codec = new CuratorJsonCodec("hello");
        var instance = codec.Decode("""{"name":"hello","id":"s","address":"h","port":null,"sslPort":8443,"payload":"text","enabled":false}""").Instance!;

        Assert.Equal("https", instance.Scheme);
        Assert.Equal(8443, instance.Port);
        Assert.False(instance.Enabled);
        Assert.Equal("\"text\"", instance.Metadata[CuratorJsonCodec.PayloadKey]);
        Assert.Equal(instance, codec.Decode(codec.Encode(instance)).Instance);
    }

    [Theory]
    [InlineData("""{"id":"x","address":"h","port":-5}""", "'port' is -5")]
    [InlineData("""{"id":"x","address":"h","port":"80"}""", "'port' is \"80\"")]
    [InlineData("""{"id":"x","port":80}""", "no 'address'")]
    [InlineData("""{"address":"h","port":80}""", "no 'id'")]
    [InlineData("""{"id":"x","address":"h","enabled":"yes"}""", "'enabled' is \"yes\"")]
    [InlineData("not json", "not valid JSON")]
    public void Curator_BadValue_FailsNamingIt(string raw, string expected)
    {
        var result = new CuratorJsonCodec("hello").Decode(raw);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Failure, StringComparison.Ordinal);
        Assert.Contains(raw, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceInstance_RejectsBadWeightAndPort()
    {
        Assert.Contains("Weight 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceInstance("i", "h", 1, weight: 0)).Message, StringComparison.Ordinal);
        Assert.Contains("Port 70000", Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceInstance("i", "h", 70000)).Message, StringComparison.Ordinal);
    }
}

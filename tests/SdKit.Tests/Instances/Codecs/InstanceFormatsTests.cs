using SdKit.Instances.Codecs;

namespace SdKit.Tests.Instances.Codecs;

public sealed class InstanceFormatsTests
{
    [Theory]
    [InlineData("plain", typeof(PlainInstanceCodec))]
    [InlineData("seed-etcd-json", typeof(SeedEtcdJsonCodec))]
    [InlineData("SdKit-Json", typeof(SdKitJsonCodec))]
    [InlineData("curator", typeof(CuratorJsonCodec))]
    public void CreateCodec_KnownName_GivesTheCodecOfThatLayout(string format, Type codec)
        => Assert.IsType(codec, InstanceFormats.CreateCodec(format, "/services/hello"));

    [Fact]
    public void CreateCodec_Curator_NamesTheServiceByTheLastSegment()
        => Assert.Equal("hello", Assert.IsType<CuratorJsonCodec>(InstanceFormats.CreateCodec("curator", "/services/hello/")).ServiceName);

    [Fact]
    public void CreateCodec_SeedEtcdJson_TakesTheConventionalPort()
        => Assert.Equal(8080, Assert.IsType<SeedEtcdJsonCodec>(InstanceFormats.CreateCodec("seed-etcd-json", "/services/hello", seedPort: 8080)).Port);

    [Fact]
    public void Normalize_UnknownName_NamesTheSettingTheValueAndTheKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => InstanceFormats.Normalize("xml", "SdKit:ZooKeeper:InstanceFormat"));

        Assert.Equal("SdKit:ZooKeeper:InstanceFormat", error.ParamName);
        Assert.StartsWith("SdKit:ZooKeeper:InstanceFormat 'xml' is not an instance format (known: plain, seed-etcd-json, sdkit-json, curator).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_KnownNameInAnyCase_GivesTheListedSpelling()
        => Assert.Equal("curator", InstanceFormats.Normalize("CURATOR", "key"));
}

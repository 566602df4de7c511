using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SdKit.Hosting.Options;
using SdKit.InMemory;
using SdKit.Instances.Codecs;
using Xunit;

namespace SdKit.Hosting.Tests.Registration;

/// <summary>
/// The hosted registration from configuration with a format: the instance is encoded with the format's codec
/// (metadata, weight, zone, enabled), and bad values fail the host's start naming the key and the value.
/// </summary>
public sealed class TypedRegistrationTests
{
    private const string ServicePath = "/services/typed";

    [Fact]
    public async Task Host_SdKitJsonFromConfiguration_RegistersMetadataWeightZoneAndEnabled()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, ServicePath);
        using var host = Build(registry, new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "http://127.0.0.1:8181",
            ["SdKit:Registration:Id"] = "host-1",
            ["SdKit:Registration:Format"] = "sdkit-json",
            ["SdKit:Registration:Metadata:version"] = "2",
            ["SdKit:Registration:Metadata:team"] = "blue",
            ["SdKit:Registration:Weight"] = "5",
            ["SdKit:Registration:Zone"] = "eu-1a",
            ["SdKit:Registration:Enabled"] = "false",
        });

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var seen = await watch.WaitForAsync(e => e.Instances.Length == 1);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        var instance = SdKitJsonCodec.Instance.Decode(seen.Instances[0]).Instance!;
        Assert.Equal("host-1", instance.Id);
        Assert.Equal(("http", "127.0.0.1", 8181), (instance.Scheme, instance.Host, instance.Port));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "blue", ["version"] = "2" }, instance.Metadata);
        Assert.Equal(5, instance.Weight);
        Assert.Equal("eu-1a", instance.Zone);
        Assert.False(instance.Enabled);
    }

    [Fact]
    public async Task Host_BackendFormat_IsUsedWhenTheRegistrationNamesNone()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, ServicePath);
        using var host = Build(registry, new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8182",
            ["SdKit:Registration:Metadata:version"] = "3",
        }, sdkit => sdkit.UseInstanceFormat(_ => InstanceFormats.Curator));

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var seen = await watch.WaitForAsync(e => e.Instances.Length == 1);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        var instance = new CuratorJsonCodec("typed").Decode(seen.Instances[0]).Instance!;
        Assert.Equal(("127.0.0.1", 8182), (instance.Host, instance.Port));
        Assert.Equal("3", instance.Metadata["version"]);
        Assert.True(Guid.TryParse(instance.Id, out _), instance.Id);
        Assert.Contains("\"name\":\"typed\"", seen.Instances[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_AnotherBackendChosenAfterOne_ForgetsTheFirstBackendsFormat()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, ServicePath);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:1",
            ["SdKit:ZooKeeper:InstanceFormat"] = "curator",
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8186",
        });
        builder.Services.AddSdKit().AddZooKeeper().AddInMemory(registry);
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var seen = await watch.WaitForAsync(e => e.Instances.Length == 1);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        Assert.Equal(["127.0.0.1:8186"], seen.Instances.ToArray());
    }

    [Fact]
    public async Task Host_PlainFormatWithoutTypedFields_RegistersTheStringUnchanged()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, ServicePath);
        using var host = Build(registry, new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8183",
        });

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var seen = await watch.WaitForAsync(e => e.Instances.Length == 1);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        Assert.Equal(["127.0.0.1:8183"], seen.Instances.ToArray());
    }

    [Theory]
    [InlineData("SdKit:Registration:Weight", "-1", "SdKit:Registration:Weight '-1' must be greater than zero.")]
    [InlineData("SdKit:Registration:Weight", "0", "SdKit:Registration:Weight '0' must be greater than zero.")]
    [InlineData("SdKit:Registration:Format", "xml", "SdKit:Registration:Format 'xml' is not an instance format (known: plain, seed-etcd-json, sdkit-json, curator).")]
    [InlineData("SdKit:Registration:Zone", " ", "SdKit:Registration:Zone ' ' must not be blank")]
    public async Task StartAsync_BadTypedSetting_FailsNamingTheKeyAndValue(string key, string value, string expected)
    {
        using var host = Build(new InMemoryRegistry(), new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8184",
            [key] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "SdKit:Registration:Format 'plain' writes the bare instance string, which cannot carry Metadata, Weight 3")]
    [InlineData("curator", "SdKit:Registration:Format 'curator' cannot carry Weight 3; choose 'sdkit-json' or leave them unset.")]
    public async Task StartAsync_FormatThatCannotCarryAField_FailsNamingTheFormatAndTheField(string format, string expected)
    {
        using var host = Build(new InMemoryRegistry(), new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8185",
            ["SdKit:Registration:Format"] = format,
            ["SdKit:Registration:Metadata:version"] = "2",
            ["SdKit:Registration:Weight"] = "3",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BackendFormatThatCannotCarryAField_FailsNamingTheFormatAndTheField()
    {
        using var host = Build(new InMemoryRegistry(), new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8187",
            ["SdKit:Registration:Zone"] = "eu-1a",
        }, sdkit => sdkit.UseInstanceFormat(_ => InstanceFormats.Curator));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains("SdKit:Registration:Format 'curator' cannot carry Zone 'eu-1a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoFormatAndMetadata_FailsBecausePlainCannotCarryIt()
    {
        using var host = Build(new InMemoryRegistry(), new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8188",
            ["SdKit:Registration:Metadata:version"] = "2",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains("SdKit:Registration:Format 'plain' writes the bare instance string, which cannot carry Metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_JsonFormatWithAnInstanceThatIsNoAddress_FailsNamingIt()
    {
        using var host = Build(new InMemoryRegistry(), new()
        {
            ["SdKit:Registration:Service"] = "typed",
            ["SdKit:Registration:Instance"] = "127.0.0.1:99999",
            ["SdKit:Registration:Format"] = "sdkit-json",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains("SdKit:Registration:Instance '127.0.0.1:99999'", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(InMemoryRegistry registry, Dictionary<string, string?> settings, Action<ISdKitBuilder>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var sdkit = builder.Services.AddSdKit().AddInMemory(registry);
        configure?.Invoke(sdkit);
        return builder.Build();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SdKit.Hosting.Options;
using SdKit.Hosting.Registration;
using Xunit;

namespace SdKit.Hosting.Tests.Options;

public sealed class SdKitOptionsValidatorTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValuesAndValid()
    {
        var options = new SdKitOptions();

        Assert.Equal("/services", options.ServicesPath);
        Assert.Null(options.Registration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DeregisterTimeout);
        Assert.Equal(TimeSpan.Zero, options.DrainDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), options.FirstSnapshotTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RegistrationRetry.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RegistrationRetry.MaxDelay);
        Assert.True(new SdKitOptionsValidator([]).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BadSettings_NamesEverySettingByItsConfigurationKey()
    {
        var options = new SdKitOptions
        {
            ServicesPath = "services",
            DeregisterTimeout = TimeSpan.Zero,
            DrainDelay = TimeSpan.FromSeconds(-1),
            RegistrationRetry = new SdKitRetryOptions { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) },
            Registration = new SdKitRegistrationOptions { Service = "a/b", Id = "x/y" },
        };

        var result = new SdKitOptionsValidator([]).Validate(null, options);

        Assert.Equal(
            string.Join('\n', [
                "SdKit:DeregisterTimeout: The field DeregisterTimeout must be between 00:00:00.0010000 and 00:10:00.",
                "SdKit:DrainDelay: The field DrainDelay must be between 00:00:00 and 00:10:00.",
                "SdKit:ServicesPath 'services' must start with '/'.",
                "SdKit:RegistrationRetry:MaxDelay (00:00:01) must not be smaller than SdKit:RegistrationRetry:InitialDelay (00:00:02).",
                "SdKit:Registration:Instance: The Instance field is required.",
                "SdKit:Registration:Service 'a/b' must be a name without '/' or a full path starting with '/'.",
                "SdKit:Registration:Id 'x/y' must be non-empty and must not contain '/'.",
            ]),
            string.Join('\n', result.Failures!));
    }

    [Fact]
    public void Validate_RegistrationPathWithEmptySegment_NamesTheSetting()
    {
        var options = new SdKitOptions { Registration = new SdKitRegistrationOptions { Service = "/services//hello", Instance = "127.0.0.1:1" } };

        var result = new SdKitOptionsValidator([]).Validate(null, options);

        Assert.Equal(["SdKit:Registration:Service: The service path '/services//hello' holds an empty segment ('//')."], result.Failures);
    }

    [Fact]
    public void Validate_InstanceComputedAtStartup_DoesNotRequireInstance()
    {
        var options = new SdKitOptions { Registration = new SdKitRegistrationOptions { Service = "hello" } };

        var result = new SdKitOptionsValidator([new RegistrationInstanceSource(_ => "127.0.0.1:1")]).Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task StartAsync_BadConfiguration_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["SdKit:ServicesPath"] = "/services//";
        builder.Configuration["SdKit:Registration:Service"] = "hello";
        builder.Services.AddSdKit().AddInMemory();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            "SdKit:ServicesPath: The service path '/services//' holds an empty segment ('//').; SdKit:Registration:Instance: The Instance field is required.",
            error.Message);
    }

    [Fact]
    public async Task StartAsync_NoBackend_FailsSayingHowToChooseOne()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit(options => options.Registration = new SdKitRegistrationOptions { Service = "hello", Instance = "127.0.0.1:1" });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Equal("SdKit has no backend: call AddInMemory(), AddZooKeeper(...) or AddEtcd(...) on the builder returned by services.AddSdKit().", error.Message);
    }

    [Fact]
    public void AddSdKit_NullArguments_ThrowWithParameterName()
    {
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => SdKitServiceCollectionExtensions.AddSdKit(null!)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => SdKitBuilderExtensions.AddInMemory(null!)).ParamName);
        var sdkit = new ServiceCollection().AddSdKit();
        Assert.Equal("service", Assert.Throws<ArgumentException>(() => sdkit.AddRegistration(string.Empty, "x")).ParamName);
        Assert.Equal("instance", Assert.Throws<ArgumentNullException>(() => sdkit.AddRegistration("hello", (Func<IServiceProvider, string>)null!)).ParamName);
    }

    [Theory]
    [InlineData("/services", "hello", "/services/hello")]
    [InlineData("/services/", "hello", "/services/hello")]
    [InlineData("/services", "/go_servers", "/go_servers")]
    public void ToPath_NameOrPath_GivesTheServicePath(string servicesPath, string service, string expected)
        => Assert.Equal(expected, ServiceNames.ToPath(servicesPath, service));

    [Fact]
    public void ToPath_NameWithSlash_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ServiceNames.ToPath("/services", "a/b"));

        Assert.StartsWith("The service name 'a/b' must not contain '/'", error.Message, StringComparison.Ordinal);
    }
}

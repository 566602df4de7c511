using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdKit.Hosting.Registration;
using SdKit.InMemory;
using SdKit.Registration;
using Xunit;

namespace SdKit.Hosting.Tests.Options;

/// <summary>Configuration that can never work fails when the host starts, naming the setting and its value.</summary>
public sealed class BackendOptionsValidationTests
{
    [Theory]
    [InlineData("", "SdKit:ZooKeeper:ConnectString '': The connect string is empty; expected 'host:port[,host:port...][/chroot]'.")]
    [InlineData("127.0.0.1:99999", "SdKit:ZooKeeper:ConnectString '127.0.0.1:99999': The port '99999' of '127.0.0.1:99999' in the connect string '127.0.0.1:99999' is not a number from 1 to 65535.")]
    public async Task StartAsync_ZooKeeperConnectStringThatCannotWork_FailsNamingItAndItsValue(string connectString, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["SdKit:ZooKeeper:ConnectString"] = connectString;
        builder.Configuration["SdKit:Registration:Service"] = "hello";
        builder.Configuration["SdKit:Registration:Instance"] = "127.0.0.1:8080";
        builder.Services.AddSdKit().AddZooKeeper();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task StartAsync_NoZooKeeperConnectStringAtAll_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddZooKeeper();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.StartsWith("SdKit:ZooKeeper:ConnectString '': The connect string is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "SdKit:Etcd:Endpoints '': Invalid etcd options: Endpoints is empty: give at least one client URL such as 'http://127.0.0.1:2379'.")]
    [InlineData("etcd.local", "SdKit:Etcd:Endpoints 'etcd.local': Invalid etcd options: Endpoint 'etcd.local' is not a client URL of the form 'http://host:port' or 'https://host:port'.")]
    public async Task StartAsync_EtcdEndpointsThatCannotWork_FailsNamingThemAndTheirValue(string endpoints, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["SdKit:Etcd:Endpoints"] = endpoints;
        builder.Services.AddSdKit().AddEtcd();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:99999", "'99999'")]
    [InlineData("127.0.0.1:", "''")]
    [InlineData("http://127.0.0.1:0/hello", "'0'")]
    [InlineData("[::1]:http", "'http'")]
    public async Task StartAsync_InstanceWithABadPort_FailsNamingIt(string instance, string port)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["SdKit:Registration:Service"] = "hello";
        builder.Configuration["SdKit:Registration:Instance"] = instance;
        builder.Services.AddSdKit().AddInMemory();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Equal($"SdKit:Registration:Instance '{instance}' has the port {port}, which is not a number from 1 to 65535.", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080/hello")]
    [InlineData("[::1]:8080")]
    [InlineData("::1")]
    [InlineData("{\"IP\":\"192.168.1.26\"}")]
    [InlineData("hello-host")]
    public void Validate_InstanceWithAGoodOrNoPort_Succeeds(string instance)
    {
        var options = new SdKit.Hosting.Options.SdKitOptions { Registration = new SdKit.Hosting.Options.SdKitRegistrationOptions { Service = "hello", Instance = instance } };

        Assert.True(new SdKit.Hosting.Options.SdKitOptionsValidator([]).Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task StartAsync_MissingServiceName_FailsNamingIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181";
        builder.Configuration["SdKit:Registration:Instance"] = "127.0.0.1:8080";
        builder.Services.AddSdKit().AddZooKeeper();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Equal("SdKit:Registration:Service: The Service field is required.", error.Message);
    }

    [Fact]
    public async Task StopAsync_NeverRegistered_LogsThatAndNoDeregistration()
    {
        var registry = new InMemoryRegistry();
        var logs = new RecordingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.AddProvider(logs);
        builder.Configuration["SdKit:Registration:Service"] = "hello";
        builder.Configuration["SdKit:Registration:Instance"] = "127.0.0.1:8080";
        builder.Services.AddSdKit().AddInMemory(registry);
        using var host = builder.Build();
        var client = (InMemoryDiscoveryClient)host.Services.GetRequiredService<SdKit.Client.IDiscoveryClient>();
        client.Suspend();

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var registrar = await host.Services.GetRequiredService<RegistrationHostedService>().RegistrarCreated.WaitAsync(TestTimeouts.Event);
        await registrar.StateChanges.FirstAsync(s => s == RegistrationState.Registering).ToTask().WaitAsync(TestTimeouts.Event);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        Assert.Contains("'127.0.0.1:8080' was never registered under '/services/hello' (the registry had not accepted it when the host stopped); nothing was left to deregister.", logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.StartsWith("Deregistered", StringComparison.Ordinal) || m.StartsWith("Registered", StringComparison.Ordinal));
        Assert.Empty(registry.Snapshot("/services/hello"));
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recording(Messages);

        public void Dispose()
        {
        }

        private sealed class Recording(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => messages.Enqueue(formatter(state, exception));
        }
    }
}

using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using Xunit;

namespace SdKit.Hosting.Tests.Instances;

public sealed class KeyedInstancerTests
{
    [Fact]
    public async Task GetRequiredKeyedService_ServiceNameAndPath_SameInstancerFollowingTheRegistry()
    {
        var registry = new InMemoryRegistry();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddInMemory(registry);
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);

        var byName = host.Services.GetRequiredKeyedService<IInstancer>("hello");
        var byPath = host.Services.GetRequiredKeyedService<IInstancer>("/services/hello");
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/hello", "127.0.0.1:8897"));
        var seen = await byName.FirstAsync(e => !e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);
        await host.StopAsync();

        Assert.Same(byName, byPath);
        Assert.Equal(["127.0.0.1:8897"], seen.Instances.ToArray());
    }

    [Fact]
    public async Task GetRequiredKeyedService_NameWithSlash_ThrowsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSdKit().AddInMemory();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredKeyedService<IInstancer>("a/b"));

        Assert.Contains("'a/b'", error.Message, StringComparison.Ordinal);
    }
}

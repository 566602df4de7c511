using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.InMemory;
using Xunit;

namespace SdKit.Hosting.Tests.Instances;

public sealed class KeyedEndpointerTests
{
    [Fact]
    public async Task GetRequiredKeyedService_ServiceName_EndpointerBuildsEndpointsOfTheLiveInstances()
    {
        var registry = new InMemoryRegistry();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddInMemory(registry).AddEndpointer<Uri>(instance => (new Uri("http://" + instance), null));
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/hello", "127.0.0.1:8080"));

        var endpointer = host.Services.GetRequiredKeyedService<IEndpointer<Uri>>("hello");
        var endpoints = await endpointer.FirstAsync(set => set.Count == 1).ToTask().WaitAsync(TestTimeouts.Event);
        await host.StopAsync();

        Assert.Same(endpointer, host.Services.GetRequiredKeyedService<IEndpointer<Uri>>("hello"));
        Assert.Equal([new Uri("http://127.0.0.1:8080")], endpoints);
    }
}

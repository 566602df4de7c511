using SdKit.Client;
using SdKit.Etcd;

namespace SdKit.Benchmarks.Scenarios.Etcd;

/// <summary>
/// <c>etcd-holder</c>: a registering process for <c>etcd-failover</c>. It registers one entry with an SdKit etcd client,
/// prints <c>registered &lt;key&gt;</c> and keeps the lease alive until it is killed (which is the point).
/// </summary>
internal sealed class EtcdHolderScenario : IScenario
{
    public string Name => "etcd-holder";

    public string Usage => "--etcd URLS --path SERVICE_PATH --instance INSTANCE [--ttl SECONDS]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var (endpoints, owned) = await EtcdScenarioSupport.EndpointsAsync(arguments);
        await using var cluster = owned;
        var options = EtcdScenarioSupport.Options(endpoints, arguments.Int("ttl", 2));
        await using var client = await EtcdDiscoveryClient.ConnectAsync(options, cancellationToken: cancellationToken);
        var registration = await client.RegisterAsync(new ServiceEntry(arguments.String("path"), arguments.String("instance")), cancellationToken);
        return await HolderProcess.HoldAsync(registration.Key, cancellationToken);
    }
}

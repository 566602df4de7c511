using System.Globalization;
using SdKit.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>
/// <c>zk-holder</c>: a registering process for <c>zk-failover --mode kill</c>. It registers one entry with an SdKit
/// ZooKeeper discovery client, prints <c>registered &lt;node&gt; &lt;negotiated session ms&gt;</c> and keeps the
/// session alive until it is killed: SIGKILL sends no closeSession, so the server must expire the session.
/// </summary>
internal sealed class ZkHolderScenario : IScenario
{
    public string Name => "zk-holder";

    public string Usage => "--zk HOSTS --path SERVICE_PATH --instance INSTANCE [--session-ms 2000]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var options = ZkScenarioSupport.Options(arguments.String("zk"), TimeSpan.FromMilliseconds(arguments.Int("session-ms", 2000)));
        await using var client = await ZooKeeperDiscoveryClient.ConnectAsync(options, cancellationToken: cancellationToken);
        var registration = await client.RegisterAsync(new ServiceEntry(arguments.String("path"), arguments.String("instance")), cancellationToken);
        return await HolderProcess.HoldAsync($"{registration.Key} {client.ZooKeeper.SessionTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
    }
}

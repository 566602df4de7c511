using System.Globalization;
using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

/// <summary>
/// A member whose request limit (<c>--max-request-bytes</c>) is 64 KB, so that a watch response holding many changes
/// comes in fragments (etcd splits at that limit plus its 512 KB gRPC allowance, about 576 KB): the watch must hand
/// them over as the one response etcd meant.
/// </summary>
public sealed class EtcdWatchFragmentTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Changes = 12;
    private readonly TestOutputLoggerFactory _logging = new(output);
    private EtcdCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(1, extraArguments: ["--max-request-bytes", "65536"]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Watch_ResumedPastMoreChangesThanOneEtcdMessageHolds_YieldsThemAsOneSnapshot()
    {
        await using var proxy = LoopbackProxy.Start(_cluster.Members[0].ClientPort);
        var options = Clients.Options(_cluster);
        options.Endpoints.Clear();
        options.Endpoints.Add("http://127.0.0.1:" + proxy.Port.ToString(CultureInfo.InvariantCulture));
        await using var watching = await EtcdDiscoveryClient.ConnectAsync(options, _logging);
        await using var registering = await Clients.ConnectAsync(_cluster, logging: _logging);
        var path = Clients.NewServicePath();
        await registering.RegisterAsync(new ServiceEntry(path, "a:1"));
        await using var watch = new WatchRecorder(watching, path);
        await watch.WaitForAsync("a:1");
        await registering.RegisterAsync(new ServiceEntry(path, "w:1"));
        await watch.WaitForAsync("a:1", "w:1");

        // Held back, then resumed from the last revision: etcd sends the 12 changes (about 720 KB) in one response,
        // which it splits into fragments.
        proxy.Stall();
        var values = Enumerable.Range(0, Changes).Select(i => new string('x', 60_000) + i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var value in values)
        {
            await registering.RegisterAsync(new ServiceEntry(path, value));
        }

        proxy.CutAll();
        proxy.Resume();

        await watch.WaitForAsync(s => s.Count == Changes + 2, $"with all {Changes + 2} entries");
        Assert.DoesNotContain(watch.Seen, s => s.Count > 2 && s.Count < Changes + 2);
        Assert.Null(watch.Error);
    }
}

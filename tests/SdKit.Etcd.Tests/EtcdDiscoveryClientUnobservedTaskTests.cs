using System.Collections.Concurrent;
using System.Globalization;
using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

/// <summary>
/// Every failed gRPC call must reach code that awaits it: a faulted task nobody observes shows up in
/// <see cref="TaskScheduler.UnobservedTaskException"/> (the soak found gRPC's own retries leaving such tasks behind).
/// </summary>
[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientUnobservedTaskTests(EtcdSingleMemberFixture etcd, Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly TestOutputLoggerFactory _logging = new(output);

    [Fact]
    public async Task Client_ConnectionsCutThenRefusedWhileRegisteringKeepingAliveAndWatching_LeavesNoUnobservedTaskException()
    {
        var unobserved = new ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> record = (_, e) =>
        {
            // The event is process-wide; only failures that passed through the gRPC client concern this test.
            if (e.Exception.ToString().Contains("Grpc", StringComparison.Ordinal))
            {
                unobserved.Enqueue(e.Exception);
            }
        };
        TaskScheduler.UnobservedTaskException += record;
        try
        {
            await RunFaultsAsync();
            ForceFinalization();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= record;
        }

        Assert.True(unobserved.IsEmpty, "Unobserved task exceptions from the etcd client:\n" + string.Join("\n---\n", unobserved));
    }

    private async Task RunFaultsAsync()
    {
        var proxy = LoopbackProxy.Start(etcd.Cluster.Members[0].ClientPort);
        var proxyStopped = false;
        try
        {
            var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromSeconds(3), MaxRetryDelay = TimeSpan.FromMilliseconds(300) };
            options.Endpoints.Add("http://127.0.0.1:" + proxy.Port.ToString(CultureInfo.InvariantCulture));
            await using var client = await EtcdDiscoveryClient.ConnectAsync(options, _logging);
            using var states = new StateRecorder(client);
            var path = Clients.NewServicePath();
            await using var watch = new WatchRecorder(client, path);
            await client.RegisterAsync(new ServiceEntry(path, "cut:1"));
            await watch.WaitForAsync("cut:1");

            // Resets: every open connection dies under the keep-alive stream, the watch and a put in flight.
            for (var round = 0; round < 3; round++)
            {
                var put = client.RegisterAsync(new ServiceEntry(path, "cut:1")).AsTask();
                proxy.CutAll();
                await IgnoreTransientAsync(put);
            }

            await client.RegisterAsync(new ServiceEntry(path, "cut:1"));

            // Refusals: nothing listens on the endpoint any more, so every new connection attempt fails.
            await proxy.DisposeAsync();
            proxyStopped = true;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await IgnoreTransientAsync(client.RegisterAsync(new ServiceEntry(path, "refused:1")).AsTask());
            }

            await states.WaitForAsync(ConnectionState.Lost);
        }
        finally
        {
            if (!proxyStopped)
            {
                await proxy.DisposeAsync();
            }
        }
    }

    private static async Task IgnoreTransientAsync(Task call)
    {
        try
        {
            await call;
        }
        catch (EtcdException ex) when (ex.IsTransient)
        {
            // Expected while the connection is cut: the failure reached its caller, which is the point.
        }
    }

    private static void ForceFinalization()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect();
    }
}

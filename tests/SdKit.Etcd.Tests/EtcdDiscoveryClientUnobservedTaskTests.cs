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
            await ForceFinalizationAsync(unobserved);
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
            var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(300) };
            options.Endpoints.Add("http://127.0.0.1:" + proxy.Port.ToString(CultureInfo.InvariantCulture));
            await using var client = await ConnectAsync(options);
            using var states = new StateRecorder(client);
            var path = Clients.NewServicePath();
            await using var watch = new WatchRecorder(client, path);
            await client.RegisterAsync(new ServiceEntry(path, "cut:1"));
            await watch.WaitForAsync("cut:1");

            // Resets: every connection the client opens is held, then reset, under the keep-alive stream, the watch and
            // puts in flight; each round waits for the client to connect again so that the reset hits a retry.
            proxy.Stall();
            var puts = new List<Task>();
            for (var round = 0; round < 6; round++)
            {
                var put = client.RegisterAsync(new ServiceEntry(path, "cut:1")).AsTask();
                puts.Add(put);
                var accepted = proxy.AcceptedCount;
                proxy.CutAll();
                await NewConnectionOrEndAsync(proxy.AcceptedMoreThanAsync(accepted), put);
            }

            proxy.CutAll();
            proxy.Resume();
            foreach (var put in puts)
            {
                await IgnoreTransientAsync(put);
            }

            await client.RegisterAsync(new ServiceEntry(path, "cut:1"));
            await watch.WaitForAsync("cut:1");

            // Refusals: nothing listens on the endpoint any more, so every new connection attempt fails.
            await proxy.DisposeAsync();
            proxyStopped = true;
            await states.WaitForAsync(ConnectionState.Lost);
            for (var attempt = 0; attempt < 5; attempt++)
            {
                await IgnoreTransientAsync(client.RegisterAsync(new ServiceEntry(path, "refused:1")).AsTask());
            }
        }
        finally
        {
            if (!proxyStopped)
            {
                await proxy.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Connects, trying again while the first grant times out: the short request timeout (shorter than gRPC's first
    /// retry backoff, so that deadlines cut gRPC retries short as in the soak) can be too short for a cold first call.
    /// </summary>
    private async Task<EtcdDiscoveryClient> ConnectAsync(EtcdDiscoveryOptions options)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EtcdDiscoveryClient.ConnectAsync(options, _logging);
            }
            catch (EtcdException ex) when (ex.IsTransient && attempt < 5)
            {
                output.WriteLine($"Connect attempt {attempt} failed: {ex.Message}");
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

    /// <summary>Waits (bounded) until the client has opened a new connection or the put has ended, whichever comes first.</summary>
    private static async Task NewConnectionOrEndAsync(Task newConnection, Task put)
    {
        try
        {
            await Task.WhenAny(newConnection, put).WaitAsync(TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            // Neither within 3 s: the next round cuts again regardless, as before.
        }
    }

    /// <summary>
    /// Collects garbage repeatedly for a few seconds: a gRPC retry still waiting out its backoff (up to 5 s with
    /// dotnet-etcd's policy) fails, and leaves its faulted task, only after the client is gone; there is no event for
    /// it to await, so the check keeps collecting until one shows up or the window ends.
    /// </summary>
    private static async Task ForceFinalizationAsync(ConcurrentQueue<Exception> unobserved)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (unobserved.IsEmpty && DateTime.UtcNow < until)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(250);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using SdKit.Cli.Tests.Support;
using SdKit.Client;
using SdKit.Dashboard.Tests.Support;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SdKit.Dashboard.Tests;

/// <summary>
/// 10,000 instances on a real ZooKeeper (one service of 5,000 and 50 of 100, registered through one client): the page
/// shows them all, paged. The times are measured in the browser and written to the log (docs/benchmarks.md records
/// them); nothing here asserts a time.
/// </summary>
public sealed class LargeRegistryTests(ZooKeeperServerFixture zooKeeper, ITestOutputHelper log) : IClassFixture<ZooKeeperServerFixture>
{
    private const int BigService = 5_000;
    private const int SmallServices = 50;
    private const int SmallService = 100;
    private const int Total = BigService + (SmallServices * SmallService);

    [Fact]
    public async Task TenThousandInstances_TheServiceListRendersPagedAndStaysResponsive()
    {
        const string root = "/large";
        var options = new ZooKeeperDiscoveryOptions { Connection = new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString } };
        await using var client = await ZooKeeperDiscoveryClient.ConnectAsync(options);
        var clock = Stopwatch.StartNew();
        var entries = Enumerable.Range(0, BigService).Select(i => new ServiceEntry(root + "/big", $"10.0.{i / 250}.{i % 250}:8080"))
            .Concat(Enumerable.Range(0, SmallServices * SmallService).Select(i => new ServiceEntry($"{root}/svc-{i / SmallService:00}", $"10.1.{i / 250}.{i % 250}:9090")))
            .ToList();

        // The first entry of each service creates its parents; the rest go in flight together.
        foreach (var first in entries.GroupBy(e => e.ServicePath).Select(g => g.First()).ToList())
        {
            await client.RegisterAsync(first);
            entries.Remove(first);
        }

        foreach (var chunk in entries.Chunk(1000))
        {
            await Task.WhenAll(chunk.Select(e => client.RegisterAsync(e).AsTask()));
        }

        log.WriteLine($"registered {Total} instances through one client in {clock.ElapsedMilliseconds} ms");

        await using var chromium = await Chromium.StartAsync();
        await using var dashboard = await DashboardTool.StartAsync(RegistryTool.ZooKeeper(zooKeeper.ConnectString), root);
        clock.Restart();
        var warm = await chromium.OpenAsync(dashboard.Address);
        await Expect(warm.Locator("#instance-count")).ToHaveTextAsync(Total.ToString(CultureInfo.InvariantCulture), new() { Timeout = 120_000 });
        log.WriteLine($"the dashboard had read all {Total} instances {clock.ElapsedMilliseconds} ms after the page first opened");

        // A fresh navigation against the loaded dashboard: the time to the rendered service list, by the browser's clock.
        var page = await chromium.OpenAsync(dashboard.Address);
        await page.WaitForFunctionAsync("() => document.body.dataset.renderedMs !== undefined");
        var renderedMs = double.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.renderedMs"), CultureInfo.InvariantCulture);
        var shown = await page.Locator("#instance-count").TextContentAsync();
        var services = await page.Locator("#service-count").TextContentAsync();
        var rows = await page.Locator("#services tbody tr").CountAsync();
        log.WriteLine($"navigation to rendered service list: {renderedMs:0.0} ms (performance.now at the first render), {services} services, {shown} instances, {rows} rows on the first page");

        var select = await page.EvaluateAsync<double>(@"() => new Promise(done => {
            const start = performance.now();
            document.querySelector(""#services tr[data-service='/large/big']"").click();
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
        })");
        await Expect(page.Locator("#instances tbody tr")).ToHaveCountAsync(100);
        var next = await page.EvaluateAsync<double>(@"() => new Promise(done => {
            const start = performance.now();
            document.querySelector('#instances-pager button[data-step=""1""]').click();
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
        })");
        await Expect(page.Locator("#instances-pager span")).ToHaveTextAsync($"{BigService} instances, page 2 of {BigService / 100}");
        log.WriteLine($"selecting the {BigService}-instance service: {select:0.0} ms to the next frame; its next page: {next:0.0} ms");

        // Live at this size: one more instance in the big service reaches the open page.
        clock.Restart();
        var extra = await client.RegisterAsync(new ServiceEntry(root + "/big", "10.9.9.9:8080"));
        await Expect(page.Locator("#instance-count")).ToHaveTextAsync((Total + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        log.WriteLine($"one registration into the {BigService}-instance service reached the page in {clock.ElapsedMilliseconds} ms");
        await client.DeregisterAsync(extra);

        Assert.Equal(Total.ToString(CultureInfo.InvariantCulture), shown);
        Assert.Equal((SmallServices + 1).ToString(CultureInfo.InvariantCulture), services);
        Assert.Equal(50, rows);
        await dashboard.StopAsync();
    }
}

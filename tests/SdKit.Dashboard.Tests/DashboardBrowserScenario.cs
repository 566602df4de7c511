using System.Diagnostics;
using Microsoft.Playwright;
using SdKit.Cli.Tests.Support;
using SdKit.Dashboard.Tests.Support;
using SdKit.Testing.Network;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SdKit.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against a real registry: instances registered with the CLI (each its own process
/// and session or lease) appear on the page, one stops and its row goes, and the timeline says so.
/// </summary>
public abstract class DashboardBrowserScenario(ITestOutputHelper log)
{
    /// <summary>How long the page may take to show a change: generous, the machine is shared.</summary>
    protected static readonly LocatorAssertionsToHaveCountOptions Patience = new() { Timeout = 30_000 };

    internal abstract RegistryTool Tool { get; }

    /// <summary>Gets the short backend name for the screenshot file.</summary>
    protected abstract string Name { get; }

    /// <summary>Gets how the owner column names an entry's owner on this backend.</summary>
    protected abstract string OwnerPrefix { get; }

    [Fact]
    public async Task ThreeRegistered_OneStops_ThePageShowsItGoAndTheTimelineSaysSo()
    {
        var root = $"/dash-{Name}-{Guid.NewGuid():N}"[..20];
        var service = root + "/hello";
        var instances = Enumerable.Range(0, 3).Select(_ => $"127.0.0.1:{FreePort.Next()}").ToArray();
        await using var chromium = await Chromium.StartAsync();
        await using var dashboard = await DashboardTool.StartAsync(Tool, root);
        var page = await chromium.OpenAsync(dashboard.Address);
        await Expect(page.Locator("#state")).ToHaveAttributeAsync("data-state", "connected");

        var registered = new List<SdKitTool>();
        try
        {
            foreach (var instance in instances)
            {
                var register = Tool.Start("register", "--path", service, "--instance", instance);
                registered.Add(register);
                await register.WaitForLineAsync(l => l == $"registered {instance} under {service}");
            }

            await using var other = Tool.Start("register", "--path", root + "/billing", "--instance", "http://127.0.0.1:7070");
            await other.WaitForLineAsync(l => l.StartsWith("registered ", StringComparison.Ordinal));

            await page.Locator($"#services tr[data-service='{service}']").ClickAsync();
            var rows = page.Locator("#instances tbody tr[data-instance]");
            await Expect(rows).ToHaveCountAsync(3, Patience);
            foreach (var instance in instances)
            {
                await Expect(page.Locator($"#instances tr[data-instance='{instance}'] td:nth-child(3)")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^{OwnerPrefix} 0x[0-9a-f]+$"));
            }

            var stopped = instances[1];
            var clock = Stopwatch.StartNew();
            registered[1].Terminate();
            await Expect(page.Locator($"#instances tr[data-instance='{stopped}']")).ToHaveCountAsync(0, Patience);
            log.WriteLine($"{Name}: the page dropped {stopped} {clock.ElapsedMilliseconds} ms after its register process got SIGTERM");
            Assert.Equal(0, await registered[1].WaitForExitAsync());
            await Expect(rows).ToHaveCountAsync(2, Patience);
            await Expect(page.Locator("#timeline li[data-kind=removed]").Filter(new() { HasText = stopped })).ToHaveCountAsync(1, Patience);
            await Expect(page.Locator("#timeline li[data-kind=added]").Filter(new() { HasText = instances[0] })).ToHaveCountAsync(1, Patience);
            await Expect(page.Locator("#service-plot")).ToHaveAttributeAsync("data-count", "2");
            await Expect(page.Locator("#instance-count")).ToHaveTextAsync("3");

            var screenshot = Path.Combine(ArtifactFolder.Path, $"dashboard-{Name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            log.WriteLine($"{Name}: screenshot {screenshot}");
            other.Terminate();
            Assert.Equal(0, await other.WaitForExitAsync());
        }
        finally
        {
            foreach (var register in registered)
            {
                await register.DisposeAsync();
            }
        }

        await dashboard.StopAsync();
        Assert.DoesNotContain("fail", dashboard.Process.Error, StringComparison.OrdinalIgnoreCase);
    }
}

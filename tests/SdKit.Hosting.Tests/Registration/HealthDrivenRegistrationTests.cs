using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SdKit.Client;
using SdKit.Hosting.Options;
using SdKit.Hosting.Registration;
using SdKit.InMemory;
using SdKit.Instances.Codecs;
using Xunit;

namespace SdKit.Hosting.Tests.Registration;

/// <summary>
/// Health-driven registration (<c>SdKit:Registration:Health</c>) on the in-memory registry, with the host's clock a
/// <see cref="FakeTimeProvider"/>: each check interval is one <see cref="FakeTimeProvider.Advance"/>, and the test waits
/// for the loop to have counted and applied that check before it looks at the registry.
/// </summary>
public sealed class HealthDrivenRegistrationTests
{
    private const string ServicePath = "/services/checked";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Unhealthy_DeregisterMode_LeavesAfterThreeFailuresAndComesBackAfterTwoSuccesses()
    {
        var registry = new InMemoryRegistry();
        var app = await StartAsync(registry, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8191" }, checks => checks.AddSdKit());
        await using (app)
        {
            await using var watch = new RegistryWatch(registry, ServicePath);
            await watch.WaitForAsync(e => e.Instances.Contains("127.0.0.1:8191"));
            Assert.Equal(HealthRegistrationMode.Deregister, app.Health.Mode); // Auto with plain

            app.Check.Healthy = false;
            await app.TickAsync(2);
            Assert.Equal(["127.0.0.1:8191"], registry.Snapshot(ServicePath).ToArray());

            await app.TickAsync();
            await watch.WaitForAsync(e => e.Instances.IsEmpty);
            Assert.False(app.Health.IsIn);
            var sdkit = (await app.Checks.CheckHealthAsync(check => check.Name == "sdkit")).Entries["sdkit"];
            Assert.Equal(HealthStatus.Degraded, sdkit.Status);
            Assert.StartsWith("Out of the registry: the application's health checks failed", sdkit.Description, StringComparison.Ordinal);
            Assert.Equal("out (Deregister)", sdkit.Data["health"]);

            app.Check.Healthy = true;
            await app.TickAsync();
            Assert.Empty(registry.Snapshot(ServicePath));
            await app.TickAsync();
            await watch.WaitForAsync(e => e.Instances.Contains("127.0.0.1:8191"));
            Assert.True(app.Health.IsIn);

            await app.Host.StopAsync().WaitAsync(TestTimeouts.Start);
            Assert.Empty(registry.Snapshot(ServicePath));
            Assert.Equal(
                [
                    (LogLevel.Information, "Health checks drive the registration of '127.0.0.1:8191' under '/services/checked': checked every 00:00:10, out after 3 Unhealthy results in a row (Deregister), back after 2 healthy ones; checks counted: all but SdKit's own."),
                    (LogLevel.Warning, "'127.0.0.1:8191' was Unhealthy 3 times in a row (switch: switched to Unhealthy); taking it out of '/services/checked' (Deregister)."),
                    (LogLevel.Information, "'127.0.0.1:8191' was healthy 2 times in a row; putting it back in '/services/checked' (Deregister)."),
                ],
                HealthLines(app));
        }
    }

    [Fact]
    public async Task Flips_AreCountedOnTheSdKitMeterByServicePathAndDirection()
    {
        using var flips = new FlipListener(ServicePath);
        var registry = new InMemoryRegistry();
        var app = await StartAsync(registry, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8197" });
        await using (app)
        {
            app.Check.Healthy = false;
            await app.TickAsync(2);
            Assert.Equal((0L, 0L), (flips.Count("out"), flips.Count("in")));
            await app.TickAsync();
            Assert.Equal((1L, 0L), (flips.Count("out"), flips.Count("in")));
            await app.TickAsync(2); // still out: no second flip

            app.Check.Healthy = true;
            await app.TickAsync(2);
            Assert.Equal((1L, 1L), (flips.Count("out"), flips.Count("in")));
            await app.Host.StopAsync().WaitAsync(TestTimeouts.Start);
        }
    }

    [Fact]
    public async Task RegistryUnreachableWhenTheHealthFlips_LogsAndAppliesItAtTheNextCheck()
    {
        var registry = new InMemoryRegistry();
        var app = await StartAsync(registry, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8198" });
        await using (app)
        {
            var client = (InMemoryDiscoveryClient)app.Host.Services.GetRequiredService<IDiscoveryClient>();
            client.Suspend();
            app.Check.Healthy = false;
            await app.TickAsync(3);
            Assert.Single(registry.Snapshot(ServicePath));
            Assert.True(app.Health.IsIn); // not applied yet

            client.Resume();
            await app.TickAsync();
            Assert.Empty(registry.Snapshot(ServicePath));
            Assert.False(app.Health.IsIn);
            Assert.Contains(
                (LogLevel.Warning, "Putting '127.0.0.1:8198' out of '/services/checked' after its health changed failed; trying again at the next check in 00:00:10."),
                HealthLines(app));
        }
    }

    [Fact]
    public async Task Unhealthy_DisableModeWithSdKitJson_StaysRegisteredNotEnabledThenEnabledAgain()
    {
        var registry = new InMemoryRegistry();
        var app = await StartAsync(registry, new()
        {
            ["SdKit:Registration:Instance"] = "http://127.0.0.1:8192",
            ["SdKit:Registration:Format"] = "sdkit-json",
            ["SdKit:Registration:Id"] = "checked-1",
            ["SdKit:Registration:Metadata:version"] = "2",
            ["SdKit:Registration:Health:Mode"] = "Disable",
        }, checks => checks.AddSdKit());
        await using (app)
        {
            await using var watch = new RegistryWatch(registry, ServicePath);
            await watch.WaitForAsync(e => e.Instances.Length == 1 && Decode(e.Instances[0]).Enabled);

            app.Check.Healthy = false;
            await app.TickAsync(3);
            var disabled = await watch.WaitForAsync(e => e.Instances.Length == 1 && !Decode(e.Instances[0]).Enabled);
            var sdkit = (await app.Checks.CheckHealthAsync(check => check.Name == "sdkit")).Entries["sdkit"];

            app.Check.Healthy = true;
            await app.TickAsync(2);
            var enabled = await watch.WaitForAsync(e => e.Instances.Length == 1 && Decode(e.Instances[0]).Enabled);
            await app.Host.StopAsync().WaitAsync(TestTimeouts.Start);

            var instance = Decode(disabled.Instances[0]);
            Assert.Equal(("checked-1", "127.0.0.1", 8192), (instance.Id, instance.Host, instance.Port));
            Assert.Equal("2", instance.Metadata["version"]);
            Assert.Equal("checked-1", Decode(enabled.Instances[0]).Id);
            Assert.Equal("out (Disable)", sdkit.Data["health"]);
            Assert.Equal(3, sdkit.Data["healthFailures"]);
            Assert.Empty(registry.Snapshot(ServicePath));
        }
    }

    [Fact]
    public async Task Flapping_FewerThanTheThresholdInARow_DoesNotFlip()
    {
        var registry = new InMemoryRegistry();
        var app = await StartAsync(registry, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8193" });
        await using (app)
        {
            await using var watch = new RegistryWatch(registry, ServicePath);
            await watch.WaitForAsync(e => e.Instances.Length == 1);

            // fail, fail, pass, fail, fail: never three failures in a row.
            foreach (var healthy in new[] { false, false, true, false, false })
            {
                app.Check.Healthy = healthy;
                await app.TickAsync();
                Assert.Single(registry.Snapshot(ServicePath));
            }

            app.Check.Healthy = false;
            await app.TickAsync();
            Assert.Empty(registry.Snapshot(ServicePath));

            // Out: pass, fail, pass never makes two successes in a row.
            foreach (var healthy in new[] { true, false, true })
            {
                app.Check.Healthy = healthy;
                await app.TickAsync();
                Assert.Empty(registry.Snapshot(ServicePath));
            }

            // Stopping while out leaves nothing behind and does not fail.
            await app.Host.StopAsync().WaitAsync(TestTimeouts.Start);
            Assert.Empty(registry.Snapshot(ServicePath));
        }
    }

    [Fact]
    public async Task HangingCheck_CountsAsUnhealthyOnceItsIntervalIsOver()
    {
        var registry = new InMemoryRegistry();
        var hanging = new HangingCheck();
        var app = await StartAsync(registry, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8199" }, checks => checks.AddCheck("hangs", hanging));
        await using (app)
        {
            var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            app.Health.CheckCompleted += (_, _) => completed.TrySetResult();

            app.Time.Advance(Interval);
            await hanging.Entered.Task.WaitAsync(TestTimeouts.Event);
            Assert.False(completed.Task.IsCompleted);
            app.Time.Advance(Interval);
            await completed.Task.WaitAsync(TestTimeouts.Event);

            Assert.Equal((true, 1), (app.Health.IsIn, app.Health.ConsecutiveFailures));
            Assert.Contains(
                (LogLevel.Warning, "Running the health checks of '127.0.0.1:8199' failed; counted as Unhealthy."),
                HealthLines(app));
        }
    }

    [Fact]
    public async Task Degraded_CountsAsHealthy()
    {
        var registry = new InMemoryRegistry();
        var app = await StartAsync(registry, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8194" });
        await using (app)
        {
            app.Check.Status = HealthStatus.Degraded;
            await app.TickAsync(3);

            Assert.Equal((true, 0, 3), (app.Health.IsIn, app.Health.ConsecutiveFailures, app.Health.ConsecutiveSuccesses));
            Assert.Single(registry.Snapshot(ServicePath));
        }
    }

    [Fact]
    public async Task Tag_OnlyTaggedChecksCount_AndSdKitsOwnCheckNeverDoes()
    {
        var registry = new InMemoryRegistry();
        var app = await StartAsync(
            registry,
            new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8195", ["SdKit:Registration:Health:Tag"] = "ready" },
            checks => checks
                .AddCheck("untagged", () => HealthCheckResult.Unhealthy("not a readiness check"))
                .AddSdKit(tags: ["ready"]));
        await using (app)
        {
            // A lost session makes SdKit's own check Unhealthy; counting it would take the instance out for good.
            var client = (InMemoryDiscoveryClient)app.Host.Services.GetRequiredService<IDiscoveryClient>();
            client.LoseSession();
            var sdkit = await app.Checks.CheckHealthAsync(check => check.Name == "sdkit");
            Assert.Equal(HealthStatus.Unhealthy, sdkit.Status);

            await app.TickAsync(3);

            Assert.Equal((true, 0, 3), (app.Health.IsIn, app.Health.ConsecutiveFailures, app.Health.ConsecutiveSuccesses));
            client.Resume();
        }
    }

    [Theory]
    [InlineData("Interval", "00:00:00", "SdKit:Registration:Health:Interval '00:00:00' must be greater than zero.")]
    [InlineData("Interval", "-00:00:01", "SdKit:Registration:Health:Interval '-00:00:01' must be greater than zero.")]
    [InlineData("FailuresBeforeOut", "0", "SdKit:Registration:Health:FailuresBeforeOut '0' must be at least 1.")]
    [InlineData("SuccessesBeforeIn", "-2", "SdKit:Registration:Health:SuccessesBeforeIn '-2' must be at least 1.")]
    [InlineData("Tag", " ", "SdKit:Registration:Health:Tag ' ' must not be blank")]
    [InlineData("Mode", "Disable", "SdKit:Registration:Health:Mode 'Disable' needs a format with an enabled flag, but the format is 'plain'")]
    public async Task StartAsync_BadHealthSetting_FailsNamingTheKeyAndValue(string key, string value, string expected)
    {
        using var host = Build(new InMemoryRegistry(), new FakeTimeProvider(), new SwitchableCheck(), new()
        {
            ["SdKit:Registration:Instance"] = "127.0.0.1:8196",
            ["SdKit:Registration:Health:" + key] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_HealthEnabledWithoutHealthChecks_FailsNamingTheKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Settings(new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8197" }));
        builder.Services.AddSdKit().AddInMemory(new InMemoryRegistry());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.Contains("SdKit:Registration:Health:Enabled 'true' needs the application's health checks: call services.AddHealthChecks()", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The hosted registration's own lines (health-driven registration logs under its category).</summary>
    private static List<(LogLevel Level, string Message)> HealthLines(CheckedApp app)
        => app.Host.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category == typeof(RegistrationHostedService).FullName && r.Id.Id is >= 9 and <= 13)
            .Select(r => (r.Level, r.Message))
            .ToList();

    private static SdKit.Instances.ServiceInstance Decode(string instance) => SdKitJsonCodec.Instance.Decode(instance).Instance!;

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["SdKit:Registration:Service"] = "checked",
            ["SdKit:Registration:Health:Enabled"] = "true",
            ["SdKit:Registration:Health:Interval"] = Interval.ToString(),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    private static IHost Build(InMemoryRegistry registry, FakeTimeProvider time, SwitchableCheck check, Dictionary<string, string?> settings, Action<IHealthChecksBuilder>? checks = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Settings(settings));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFakeLogging();
        builder.Services.AddSdKit().AddInMemory(registry);
        var health = builder.Services.AddHealthChecks().AddCheck("switch", check, tags: ["ready"]);
        checks?.Invoke(health);
        return builder.Build();
    }

    private static async Task<CheckedApp> StartAsync(InMemoryRegistry registry, Dictionary<string, string?> settings, Action<IHealthChecksBuilder>? checks = null)
    {
        var time = new FakeTimeProvider();
        var check = new SwitchableCheck();
        var host = Build(registry, time, check, settings, checks);
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var health = await host.Services.GetRequiredService<RegistrationHostedService>().HealthStarted.WaitAsync(TestTimeouts.Event);
        return new CheckedApp(host, time, check, health);
    }

    /// <summary>A check that never finishes and ignores its token, as a check stuck on a dead dependency would.</summary>
    private sealed class HangingCheck : IHealthCheck
    {
        private readonly TaskCompletionSource<HealthCheckResult> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            return _never.Task;
        }
    }

    private sealed class SwitchableCheck : IHealthCheck
    {
        private volatile int _status = (int)HealthStatus.Healthy;

        public bool Healthy
        {
            set => Status = value ? HealthStatus.Healthy : HealthStatus.Unhealthy;
        }

        public HealthStatus Status
        {
            get => (HealthStatus)_status;
            set => _status = (int)value;
        }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(new HealthCheckResult(Status, $"switched to {Status}"));
    }

    private sealed record CheckedApp(IHost Host, FakeTimeProvider Time, SwitchableCheck Check, HealthDrivenRegistration Health) : IAsyncDisposable
    {
        public HealthCheckService Checks => Host.Services.GetRequiredService<HealthCheckService>();

        /// <summary>Lets <paramref name="intervals"/> check intervals pass, each one counted and applied before the next.</summary>
        public async Task TickAsync(int intervals = 1)
        {
            for (var i = 0; i < intervals; i++)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                void OnCompleted(object? sender, EventArgs e) => done.TrySetResult();
                Health.CheckCompleted += OnCompleted;
                try
                {
                    Time.Advance(Interval);
                    await done.Task.WaitAsync(TestTimeouts.Event);
                }
                finally
                {
                    Health.CheckCompleted -= OnCompleted;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync().WaitAsync(TestTimeouts.Start);
            Host.Dispose();
        }
    }

    /// <summary>Counts the health-driven registration flips of one service path on the SdKit meter, by direction.</summary>
    private sealed class FlipListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];
        private readonly object _gate = new();

        public FlipListener(string servicePath)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SdKit.Diagnostics.SdKitDiagnostics.MeterName && instrument.Name == SdKit.Diagnostics.SdKitDiagnostics.HealthRegistrationFlips)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? path = null, outcome = null;
                foreach (var tag in tags)
                {
                    path = tag.Key == "sdkit.service_path" ? (string)tag.Value! : path;
                    outcome = tag.Key == "sdkit.outcome" ? (string)tag.Value! : outcome;
                }

                if (path == servicePath && outcome is not null)
                {
                    lock (_gate)
                    {
                        _counts[outcome] = _counts.GetValueOrDefault(outcome) + value;
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string outcome)
        {
            lock (_gate)
            {
                return _counts.GetValueOrDefault(outcome);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

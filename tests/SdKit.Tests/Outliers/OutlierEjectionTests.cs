using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.LoadBalancing;
using SdKit.Outliers;

namespace SdKit.Tests.Outliers;

public sealed class OutlierEjectionTests
{
    private static readonly InvalidOperationException s_failure = new("refused");

    [Fact]
    public void Acquire_AfterConsecutiveFailures_LeavesInstanceOutUntilEjectionTimeEnds()
    {
        var clock = new FakeTimeProvider();
        var (balancer, _) = Create(["a", "b", "c", "d"], clock, failures: 3);

        Fail(balancer, "a", 3);

        Assert.DoesNotContain("a", Picks(balancer, 200));
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.DoesNotContain("a", Picks(balancer, 200));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Contains("a", Picks(balancer, 200));
    }

    [Fact]
    public void Acquire_SuccessBetweenFailures_ResetsTheCount()
    {
        var (balancer, _) = Create(["a", "b"], new FakeTimeProvider(), failures: 3);

        Fail(balancer, "a", 2);
        Succeed(balancer, "a");
        Fail(balancer, "a", 2);

        Assert.Contains("a", Picks(balancer, 200));
    }

    [Fact]
    public void Acquire_RepeatedEjection_LastsBaseTimesCountUpToMax()
    {
        var clock = new FakeTimeProvider();
        var (balancer, _) = Create(["a", "b", "c", "d"], clock, failures: 1, max: TimeSpan.FromSeconds(25));

        Fail(balancer, "a", 1);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains("a", Picks(balancer, 200));

        Fail(balancer, "a", 1);
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.DoesNotContain("a", Picks(balancer, 200));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("a", Picks(balancer, 200));

        Fail(balancer, "a", 1);
        clock.Advance(TimeSpan.FromSeconds(24));
        Assert.DoesNotContain("a", Picks(balancer, 200));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("a", Picks(balancer, 200));
    }

    [Fact]
    public void Acquire_AtMaxEjectedFraction_KeepsFurtherFailingInstancesIn()
    {
        using var ejections = new EjectionListener();
        var (balancer, _) = Create(["a", "b", "c", "d"], new FakeTimeProvider(), failures: 1, fraction: 0.5);

        Fail(balancer, "a", 1);
        Fail(balancer, "b", 1);
        Fail(balancer, "c", 1);

        var picks = Picks(balancer, 400);
        Assert.DoesNotContain("a", picks);
        Assert.DoesNotContain("b", picks);
        Assert.Contains("c", picks);
        Assert.Equal(2, ejections.Count("ejected"));
        Assert.Equal(1, ejections.Count("limit"));
    }

    [Fact]
    public void Acquire_FractionOne_NeverEjectsTheLastInstance()
    {
        var (balancer, _) = Create(["a", "b"], new FakeTimeProvider(), failures: 1, fraction: 1);

        Fail(balancer, "a", 1);
        Fail(balancer, "b", 1);

        Assert.Equal(["b"], Picks(balancer, 100).Distinct());
    }

    [Fact]
    public void Acquire_PredicateRejectsError_DoesNotCount()
    {
        var options = new OutlierOptions { ConsecutiveFailures = 1, TimeProvider = new FakeTimeProvider(), IsFailure = e => e is TimeoutException };
        var endpointer = new FixedEndpointer<string>(["a", "b"]);
        var balancer = OutlierEjection.Create(endpointer, Balancers.RoundRobin(endpointer), options);

        Fail(balancer, "a", 3);
        Assert.Contains("a", Picks(balancer, 100));

        Fail(balancer, "a", 1, new TimeoutException());
        Assert.DoesNotContain("a", Picks(balancer, 100));
    }

    [Fact]
    public async Task Retry_EndpointThatThrows_IsEjectedThroughTheLease()
    {
        var calls = new Dictionary<string, int> { ["bad"] = 0, ["good"] = 0 };
        Endpoint<int, string> Make(string name) => (_, _) =>
        {
            calls[name]++;
            return name == "bad" ? throw s_failure : ValueTask.FromResult(name);
        };
        var endpoints = new[] { Make("bad"), Make("good"), Make("good"), Make("good") };
        var endpointer = new FixedEndpointer<Endpoint<int, string>>(endpoints);
        var options = new OutlierOptions { ConsecutiveFailures = 2, TimeProvider = new FakeTimeProvider() };
        var balancer = OutlierEjection.Create(endpointer, Balancers.RoundRobin(endpointer), options);
        var call = Retry.Create(balancer, new RetryOptions { MaxAttempts = 1 });

        var failures = 0;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await call(i, CancellationToken.None);
            }
            catch (RetryException)
            {
                failures++;
            }
        }

        Assert.Equal(2, failures);
        Assert.Equal(2, calls["bad"]);
    }

    [Fact]
    public void Pick_WithEjection_SkipsEjectedInstance()
    {
        var (balancer, _) = Create(["a", "b"], new FakeTimeProvider(), failures: 1);
        Fail(balancer, "a", 1);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("b", balancer.Pick());
        }
    }

    [Theory]
    [InlineData(nameof(OutlierOptions.ConsecutiveFailures), "0")]
    [InlineData(nameof(OutlierOptions.BaseEjectionTime), "-00:00:01")]
    [InlineData(nameof(OutlierOptions.MaxEjectionTime), "00:00:01")]
    [InlineData(nameof(OutlierOptions.MaxEjectedFraction), "1.5")]
    public void Create_BadOption_ThrowsNamingOptionAndValue(string option, string value)
    {
        var options = new OutlierOptions();
        switch (option)
        {
            case nameof(OutlierOptions.ConsecutiveFailures): options.ConsecutiveFailures = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(OutlierOptions.BaseEjectionTime): options.BaseEjectionTime = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case nameof(OutlierOptions.MaxEjectionTime): options.MaxEjectionTime = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.MaxEjectedFraction = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var endpointer = new FixedEndpointer<string>(["a"]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OutlierEjection.Create(endpointer, Balancers.Random(endpointer), options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains("OutlierOptions." + option, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static (IBalancer<string> Balancer, FixedEndpointer<string> Endpointer) Create(
        string[] names, FakeTimeProvider clock, int failures, double fraction = 0.5, TimeSpan? max = null)
    {
        var endpointer = new FixedEndpointer<string>(names);
        var options = new OutlierOptions
        {
            ConsecutiveFailures = failures,
            BaseEjectionTime = TimeSpan.FromSeconds(10),
            MaxEjectionTime = max ?? TimeSpan.FromSeconds(100),
            MaxEjectedFraction = fraction,
            TimeProvider = clock,
        };
        return (OutlierEjection.Create(endpointer, Balancers.RoundRobin(endpointer), options), endpointer);
    }

    private static void Fail(IBalancer<string> balancer, string name, int times, Exception? error = null)
    {
        for (var done = 0; done < times;)
        {
            var lease = balancer.Acquire();
            var mine = lease.Endpoint == name;
            lease.Complete(mine ? error ?? s_failure : null);
            done += mine ? 1 : 0;
        }
    }

    private static void Succeed(IBalancer<string> balancer, string name)
    {
        while (true)
        {
            var lease = balancer.Acquire();
            lease.Complete();
            if (lease.Endpoint == name)
            {
                return;
            }
        }
    }

    private static List<string> Picks(IBalancer<string> balancer, int count)
    {
        var picks = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var lease = balancer.Acquire();
            lease.Complete();
            picks.Add(lease.Endpoint);
        }

        return picks;
    }

    /// <summary>Counts this test's ejection decisions by outcome on the SdKit meter.</summary>
    private sealed class EjectionListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];
        private readonly int _thread = Environment.CurrentManagedThreadId;

        public EjectionListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SdKitDiagnostics.MeterName && instrument.Name == SdKitDiagnostics.OutlierEjections)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                if (Environment.CurrentManagedThreadId != _thread)
                {
                    return;
                }

                foreach (var tag in tags)
                {
                    if (tag.Key == "sdkit.outcome")
                    {
                        var key = (string)tag.Value!;
                        _counts[key] = _counts.GetValueOrDefault(key) + value;
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string outcome) => _counts.GetValueOrDefault(outcome);

        public void Dispose() => _listener.Dispose();
    }
}

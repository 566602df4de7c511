using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.LoadBalancing;
using SdKit.Outliers;
using SdKit.Tests.Support;

namespace SdKit.Tests.Outliers;

/// <summary>
/// The failure-percentage detector (Envoy's failure_percentage): outcomes are reported on leases one by one, on a
/// <see cref="FakeTimeProvider"/>, with the consecutive detector set out of reach so that only this one decides.
/// </summary>
public sealed class FailurePercentageTests
{
    private static readonly InvalidOperationException s_failure = new("refused");

    [Fact]
    public void Acquire_FailurePercentageReached_EjectsOnlyOnceTheMinimumVolumeIsThere()
    {
        using var ejections = new EjectionListener();
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b", "c", "d"], clock);

        // 9 calls, 5 failed: 56 %, but below the 10 calls the detector needs.
        for (var i = 0; i < 9; i++)
        {
            Report(balancer, "a", failed: i % 2 == 0);
        }

        Assert.Contains("a", Picks(balancer, 200));
        Report(balancer, "a", failed: false); // 10 calls, 50 %: a success never ejects
        Assert.Contains("a", Picks(balancer, 200));

        Report(balancer, "a", failed: true); // 11 calls, 6 failed: 54.5 % >= 50 %

        Assert.DoesNotContain("a", Picks(balancer, 200));
        Assert.Equal(1, ejections.Count("ejected", "failure_percentage"));
        Assert.Equal(0, ejections.Count("ejected", "consecutive"));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains("a", Picks(balancer, 200));
    }

    [Fact]
    public void Acquire_FailurePercentageBelowThreshold_NeverEjects()
    {
        var balancer = Create(["a", "b"], new FakeTimeProvider());

        // 40 % failures, never two in a row, over 200 calls.
        for (var i = 0; i < 200; i++)
        {
            Report(balancer, "a", failed: i % 5 is 0 or 3);
        }

        Assert.Contains("a", Picks(balancer, 100));
    }

    [Fact]
    public void Acquire_FailuresOlderThanTheInterval_NoLongerCount()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b"], clock);
        for (var i = 0; i < 9; i++)
        {
            Report(balancer, "a", failed: true);
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        Report(balancer, "a", failed: true); // with the old nine this would be 10 of 10

        Assert.Contains("a", Picks(balancer, 100));
    }

    [Fact]
    public void Acquire_FailuresWithinTheInterval_StillCount()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b"], clock);
        for (var i = 0; i < 9; i++)
        {
            Report(balancer, "a", failed: true);
        }

        clock.Advance(TimeSpan.FromSeconds(9.5));
        Report(balancer, "a", failed: true);

        Assert.DoesNotContain("a", Picks(balancer, 100));
    }

    [Fact]
    public void Acquire_ReturnAfterEjection_StartsWithAnEmptyWindow()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b", "c", "d"], clock);
        for (var i = 0; i < 10; i++)
        {
            Report(balancer, "a", failed: true);
        }

        Assert.DoesNotContain("a", Picks(balancer, 100));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Contains("a", Picks(balancer, 100));

        // One failure after the return: the ten before the ejection are forgotten, so 1 call is below the volume.
        Report(balancer, "a", failed: true);

        Assert.Contains("a", Picks(balancer, 100));
    }

    [Fact]
    public void Acquire_AtMaxEjectedFraction_KeepsTheInstanceInAndCountsTheLimit()
    {
        using var ejections = new EjectionListener();
        var balancer = Create(["a", "b"], new FakeTimeProvider(), fraction: 0.5);
        for (var i = 0; i < 10; i++)
        {
            Report(balancer, "a", failed: true);
        }

        Assert.DoesNotContain("a", Picks(balancer, 100));
        for (var i = 0; i < 10; i++)
        {
            Report(balancer, "b", failed: true);
        }

        Assert.Equal(["b"], Picks(balancer, 100).Distinct());
        Assert.Equal(1, ejections.Count("ejected", "failure_percentage"));
        Assert.Equal(1, ejections.Count("limit", "failure_percentage"));
    }

    [Fact]
    public void Complete_WithBothDetectors_AllocatesNothingOnceEveryEndpointHasReported()
    {
        var options = Options(new FakeTimeProvider());
        options.FailurePercentageThreshold = 100; // 1 failure in 3 never reaches it
        options.ConsecutiveFailures = 5;
        var endpointer = new FixedEndpointer<string>(["a", "b", "c"]);
        var balancer = OutlierEjection.Create(endpointer, Balancers.RoundRobin(endpointer), options);

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                var lease = balancer.Acquire();
                lease.Complete(i % 7 == 0 ? s_failure : null);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Pick_WhileAnEndpointIsEjected_AllocatesNothingAndSkipsIt()
    {
        var endpointer = new FixedEndpointer<string>(["a", "b", "c", "d"]);
        var options = Options(new FakeTimeProvider());
        var balancer = OutlierEjection.Create(endpointer, Balancers.Random(endpointer), options);
        for (var i = 0; i < 10; i++)
        {
            Report(balancer, "a", failed: true);
        }

        var picks = new string[1000];
        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < picks.Length; i++)
            {
                picks[i] = balancer.Pick();
            }
        });

        Assert.Equal(0, allocated);
        Assert.DoesNotContain("a", picks);
    }

    [Theory]
    [InlineData(nameof(OutlierOptions.FailurePercentageThreshold), "0")]
    [InlineData(nameof(OutlierOptions.FailurePercentageThreshold), "150")]
    [InlineData(nameof(OutlierOptions.FailurePercentageMinimumRequests), "0")]
    [InlineData(nameof(OutlierOptions.FailurePercentageInterval), "-00:00:01")]
    public void Create_BadFailurePercentageOption_ThrowsNamingOptionAndValue(string option, string value)
    {
        var options = new OutlierOptions { FailurePercentageThreshold = 85 };
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        switch (option)
        {
            case nameof(OutlierOptions.FailurePercentageThreshold): options.FailurePercentageThreshold = double.Parse(value, invariant); break;
            case nameof(OutlierOptions.FailurePercentageMinimumRequests): options.FailurePercentageMinimumRequests = int.Parse(value, invariant); break;
            default: options.FailurePercentageInterval = TimeSpan.Parse(value, invariant); break;
        }

        var endpointer = new FixedEndpointer<string>(["a"]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OutlierEjection.Create(endpointer, Balancers.Random(endpointer), options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains("OutlierOptions." + option, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static OutlierOptions Options(FakeTimeProvider clock, double fraction = 0.5) => new()
    {
        ConsecutiveFailures = int.MaxValue,
        FailurePercentageThreshold = 50,
        FailurePercentageMinimumRequests = 10,
        FailurePercentageInterval = TimeSpan.FromSeconds(10),
        BaseEjectionTime = TimeSpan.FromSeconds(10),
        MaxEjectionTime = TimeSpan.FromSeconds(100),
        MaxEjectedFraction = fraction,
        TimeProvider = clock,
    };

    private static IBalancer<string> Create(string[] names, FakeTimeProvider clock, double fraction = 0.5)
    {
        var endpointer = new FixedEndpointer<string>(names);
        return OutlierEjection.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock, fraction));
    }

    /// <summary>Reports one outcome for <paramref name="name"/>; leases on other endpoints are completed without an outcome that counts (cancelled).</summary>
    private static void Report(IBalancer<string> balancer, string name, bool failed)
    {
        while (true)
        {
            var lease = balancer.Acquire();
            if (lease.Endpoint != name)
            {
                lease.Complete(new OperationCanceledException());
                continue;
            }

            lease.Complete(failed ? s_failure : null);
            return;
        }
    }

    private static List<string> Picks(IBalancer<string> balancer, int count)
    {
        var picks = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            picks.Add(balancer.Pick());
        }

        return picks;
    }

    /// <summary>Counts this test's ejection decisions by outcome and detector on the SdKit meter.</summary>
    private sealed class EjectionListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<(string, string), long> _counts = [];
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

                string? outcome = null, detector = null;
                foreach (var tag in tags)
                {
                    outcome = tag.Key == "sdkit.outcome" ? (string)tag.Value! : outcome;
                    detector = tag.Key == "sdkit.outlier.detector" ? (string)tag.Value! : detector;
                }

                var key = (outcome ?? "", detector ?? "");
                _counts[key] = _counts.GetValueOrDefault(key) + value;
            });
            _listener.Start();
        }

        public long Count(string outcome, string detector) => _counts.GetValueOrDefault((outcome, detector));

        public void Dispose() => _listener.Dispose();
    }
}

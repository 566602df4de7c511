using Microsoft.Extensions.Time.Testing;
using SdKit.Client;

namespace SdKit.Tests.Client;

public sealed class BackoffTests
{
    [Fact]
    public void Next_WithoutJitter_DoublesUpToTheCap()
    {
        var backoff = new Backoff(new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500), JitterFraction = 0 });

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        Assert.Equal([100, 200, 400, 500, 500, 500], delays);
        Assert.Equal(6, backoff.Attempts);
    }

    [Fact]
    public void Next_AfterReset_StartsFromInitialDelay()
    {
        var backoff = new Backoff(new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(10), JitterFraction = 0 });
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(0, backoff.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(10), backoff.Next());
    }

    [Theory]
    [InlineData(0.0, 1000.0)]
    [InlineData(0.5, 900.0)]
    [InlineData(0.999999, 800.0002)]
    public void Compute_Jitter_ShortensByUpToTheFraction(double random, double expectedMilliseconds)
    {
        var options = new BackoffOptions { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), JitterFraction = 0.2 };

        var delay = Backoff.Compute(options, attempt: 3, random);

        Assert.Equal(expectedMilliseconds, delay.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Compute_HugeAttempt_StaysAtCap()
    {
        var options = new BackoffOptions { MaxDelay = TimeSpan.FromSeconds(30), JitterFraction = 0 };

        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Compute(options, int.MaxValue, 0.5));
    }

    [Fact]
    public void Next_WithJitter_StaysWithinBounds()
    {
        var backoff = new Backoff(new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(100), JitterFraction = 0.5 });

        for (var i = 0; i < 1_000; i++)
        {
            Assert.InRange(backoff.Next().TotalMilliseconds, 50.0, 100.0);
        }
    }

    [Fact]
    public async Task DelayAsync_WaitsOnTheGivenClock()
    {
        var time = new FakeTimeProvider();
        var backoff = new Backoff(new BackoffOptions { InitialDelay = TimeSpan.FromSeconds(5), JitterFraction = 0 }, time);

        var delay = backoff.DelayAsync();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(nameof(BackoffOptions.InitialDelay))]
    [InlineData(nameof(BackoffOptions.MaxDelay))]
    [InlineData(nameof(BackoffOptions.Multiplier))]
    [InlineData(nameof(BackoffOptions.JitterFraction))]
    public void Validate_OutOfRange_ThrowsNamingTheValue(string property)
    {
        var options = property switch
        {
            nameof(BackoffOptions.InitialDelay) => new BackoffOptions { InitialDelay = TimeSpan.FromSeconds(-1) },
            nameof(BackoffOptions.MaxDelay) => new BackoffOptions { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) },
            nameof(BackoffOptions.Multiplier) => new BackoffOptions { Multiplier = 0.5 },
            _ => new BackoffOptions { JitterFraction = 1.5 },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(options));

        Assert.Equal(property, error.ParamName);
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new BackoffOptions();

        Assert.Equal(TimeSpan.FromMilliseconds(100), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxDelay);
        Assert.Equal(2.0, options.Multiplier);
        Assert.Equal(0.2, options.JitterFraction);
    }
}

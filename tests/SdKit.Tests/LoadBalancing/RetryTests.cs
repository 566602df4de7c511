using Microsoft.Extensions.Time.Testing;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Tests.LoadBalancing;

public sealed class RetryTests
{
    private static readonly RetryOptions s_noPause = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
    };

    [Fact]
    public async Task Call_FirstAttemptSucceeds_ReturnsResponse()
    {
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(Echo("a"))), s_noPause);

        Assert.Equal("a:hello", await retry("hello", CancellationToken.None));
    }

    [Fact]
    public async Task Call_FailsTwiceThenSucceeds_ReturnsResponse()
    {
        var calls = 0;
        Endpoint<string, string> flaky = (request, _) => ++calls < 3 ? throw new InvalidOperationException($"fail {calls}") : ValueTask.FromResult("ok");
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(flaky)), Options(maxAttempts: 3));

        Assert.Equal("ok", await retry("x", CancellationToken.None));
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Call_EveryAttemptFails_ThrowsRetryExceptionWithEveryError()
    {
        var calls = 0;
        Endpoint<string, string> failing = (_, _) => throw new InvalidOperationException($"e{++calls}");
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(failing)), Options(maxAttempts: 3));

        var error = await Assert.ThrowsAsync<RetryException>(async () => await retry("x", CancellationToken.None));

        Assert.Equal(["e1", "e2", "e3"], error.Errors.Select(e => e.Message));
        Assert.Same(error.Errors[2], error.Final);
        Assert.Same(error.Final, error.InnerException);
        Assert.Equal("e3 (previously: e1; e2)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Call_MaxAttemptsZeroOrOne_MakesOneAttempt(int maxAttempts)
    {
        var calls = 0;
        Endpoint<string, string> failing = (_, _) => throw new InvalidOperationException($"e{++calls}");
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(failing)), Options(maxAttempts));

        var error = await Assert.ThrowsAsync<RetryException>(async () => await retry("x", CancellationToken.None));

        Assert.Equal(1, calls);
        Assert.Equal("e1", error.Message);
    }

    [Fact]
    public async Task Call_CallbackStops_ReplacementBecomesFinalAndRawErrorsKept()
    {
        var replacement = new InvalidOperationException("replaced");
        var seen = new List<(int, string)>();
        var options = Options(maxAttempts: 10);
        options.Callback = (attempt, error) =>
        {
            seen.Add((attempt, error.Message));
            return attempt < 2 ? (true, new InvalidOperationException("ignored")) : (false, replacement);
        };
        var calls = 0;
        Endpoint<string, string> failing = (_, _) => throw new InvalidOperationException($"e{++calls}");
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(failing)), options);

        var error = await Assert.ThrowsAsync<RetryException>(async () => await retry("x", CancellationToken.None));

        Assert.Equal([(1, "e1"), (2, "e2")], seen);
        Assert.Same(replacement, error.Final);
        Assert.Equal(["e1", "e2"], error.Errors.Select(e => e.Message));
        Assert.Equal("replaced (previously: e1)", error.Message);
    }

    [Fact]
    public async Task Call_BalancerFails_CountsAsAttempt()
    {
        var retry = Retry.Create(Balancers.RoundRobin(Fixed()), Options(maxAttempts: 2));

        var error = await Assert.ThrowsAsync<RetryException>(async () => await retry("x", CancellationToken.None));

        Assert.Equal(2, error.Errors.Count);
        Assert.All(error.Errors, e => Assert.IsType<NoEndpointsException>(e));
    }

    [Fact]
    public async Task Call_RetriesPreferUntriedInstances()
    {
        var tried = new List<string>();
        Endpoint<string, string> Failing(string name) => (_, _) =>
        {
            lock (tried)
            {
                tried.Add(name);
            }

            throw new InvalidOperationException(name);
        };
        var retry = Retry.Create(Balancers.Random(Fixed(Failing("a"), Failing("b"), Failing("c"))), Options(maxAttempts: 3));

        for (var round = 0; round < 20; round++)
        {
            tried.Clear();
            await Assert.ThrowsAsync<RetryException>(async () => await retry("x", CancellationToken.None));
            Assert.Equal(3, tried.Distinct().Count());
        }
    }

    [Fact]
    public async Task Call_AfterFailure_WaitsForBackoffBeforeNextAttempt()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var firstFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Endpoint<string, string> endpoint = (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstFailed.SetResult();
                throw new InvalidOperationException("first");
            }

            secondCall.SetResult();
            return ValueTask.FromResult("second");
        };
        var options = new RetryOptions
        {
            MaxAttempts = 2,
            Timeout = Timeout.InfiniteTimeSpan,
            TimeProvider = time,
            Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), JitterFraction = 0 },
        };
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(endpoint)), options);

        var call = retry("x", CancellationToken.None).AsTask();
        await firstFailed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted);
        Assert.Equal(1, Volatile.Read(ref calls));

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("second", await call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Call_TimeoutAcrossAttempts_ThrowsTimeoutException()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Endpoint<string, string> hanging = async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        };
        var options = new RetryOptions { MaxAttempts = 5, Timeout = TimeSpan.FromSeconds(2), TimeProvider = time };
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(hanging)), options);

        var call = retry("x", CancellationToken.None).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Call_CallerCancels_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        Endpoint<string, string> hanging = async (_, token) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        };
        var retry = Retry.Create(Balancers.RoundRobin(Fixed(hanging)), s_noPause);

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await retry("x", cancel.Token));
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsNamingTheValue()
    {
        var balancer = Balancers.RoundRobin(Fixed(Echo("a")));

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Retry.Create(balancer, new RetryOptions { MaxAttempts = -1 }));
        Assert.Equal("MaxAttempts", negative.ParamName);
        var timeout = Assert.Throws<ArgumentOutOfRangeException>(() => Retry.Create(balancer, new RetryOptions { Timeout = TimeSpan.Zero }));
        Assert.Equal("Timeout", timeout.ParamName);
        Assert.Throws<ArgumentNullException>(() => Retry.Create<string, string>(null!));
    }

    private static RetryOptions Options(int maxAttempts) => new()
    {
        MaxAttempts = maxAttempts,
        Backoff = s_noPause.Backoff,
    };

    private static Endpoint<string, string> Echo(string name) => (request, _) => ValueTask.FromResult($"{name}:{request}");

    private static FixedEndpointer<Endpoint<string, string>> Fixed(params Endpoint<string, string>[] endpoints) => new(endpoints);
}

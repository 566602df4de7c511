using SdKit.Client;
using SdKit.Testing.Conformance;
using static SdKit.Client.ConnectionState;

namespace SdKit.Tests.Client;

public sealed class ConnectionStateTrackerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The whole table of docs/architecture.md: row = current state, column = reported state.</summary>
    public static TheoryData<ConnectionState, ConnectionState, bool> Moves => new()
    {
        { Connected, Connected, false }, { Connected, Suspended, true }, { Connected, Lost, true }, { Connected, Reconnected, false }, { Connected, Closed, true },
        { Suspended, Connected, true }, { Suspended, Suspended, false }, { Suspended, Lost, true }, { Suspended, Reconnected, true }, { Suspended, Closed, true },
        { Lost, Connected, false }, { Lost, Suspended, false }, { Lost, Lost, false }, { Lost, Reconnected, true }, { Lost, Closed, true },
        { Reconnected, Connected, true }, { Reconnected, Suspended, true }, { Reconnected, Lost, true }, { Reconnected, Reconnected, false }, { Reconnected, Closed, true },
        { Closed, Connected, false }, { Closed, Suspended, false }, { Closed, Lost, false }, { Closed, Reconnected, false }, { Closed, Closed, false },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void IsAllowed_EveryPairOfStates_MatchesTheDocumentedTable(ConnectionState current, ConnectionState next, bool allowed)
        => Assert.Equal(allowed, ConnectionStateTracker.IsAllowed(current, next));

    [Theory]
    [MemberData(nameof(Moves))]
    public void Report_FromEveryState_MovesExactlyWhenAllowed(ConnectionState current, ConnectionState next, bool allowed)
    {
        var tracker = TrackerIn(current);

        Assert.Equal(allowed, tracker.Report(next));
        Assert.Equal(allowed ? next : current, tracker.Current);
    }

    [Fact]
    public async Task Report_FailingRequestsWhileLost_StaysLostUntilReconnected()
    {
        var tracker = new ConnectionStateTracker();
        var seen = Record(tracker);

        Assert.True(tracker.Report(Lost));
        Assert.False(tracker.Report(Suspended));
        Assert.False(tracker.Report(Connected));
        Assert.Equal(Lost, tracker.Current);
        Assert.True(tracker.Report(Reconnected));
        tracker.Close();

        Assert.Equal([Connected, Lost, Reconnected, Closed], await AllAsync(seen));
    }

    [Fact]
    public async Task Report_RepeatedStates_AreDroppedAndNotDelivered()
    {
        var tracker = new ConnectionStateTracker();
        var seen = Record(tracker);

        Assert.False(tracker.Report(Connected));
        Assert.True(tracker.Report(Suspended));
        Assert.False(tracker.Report(Suspended));
        Assert.True(tracker.Report(Lost));
        Assert.False(tracker.Report(Lost));
        tracker.Close();

        Assert.Equal([Connected, Suspended, Lost, Closed], await AllAsync(seen));
    }

    [Fact]
    public async Task Report_ReconnectedWithoutAnOutage_IsDroppedAndTakenAfterSuspendedOrLost()
    {
        var tracker = new ConnectionStateTracker();
        var seen = Record(tracker);

        Assert.False(tracker.Report(Reconnected));
        Assert.True(tracker.Report(Suspended));
        Assert.True(tracker.Report(Reconnected));
        Assert.False(tracker.Report(Reconnected));
        Assert.True(tracker.Report(Lost));
        Assert.True(tracker.Report(Reconnected));
        tracker.Close();

        Assert.Equal([Connected, Suspended, Reconnected, Lost, Reconnected, Closed], await AllAsync(seen));
    }

    [Fact]
    public async Task Close_ThenReports_StaysClosedAndCompletesTheStream()
    {
        var tracker = new ConnectionStateTracker();
        var seen = Record(tracker);

        Assert.True(tracker.Close());

        Assert.False(tracker.Close());
        Assert.All(Enum.GetValues<ConnectionState>(), state => Assert.False(tracker.Report(state)));
        Assert.Equal(Closed, tracker.Current);
        Assert.Equal([Connected, Closed], await AllAsync(seen));
    }

    [Fact]
    public async Task Changes_SubscriberAfterClose_OnlyCompletes()
    {
        var tracker = new ConnectionStateTracker();
        tracker.Report(Lost);
        tracker.Close();

        var late = Record(tracker);

        Assert.Empty(await AllAsync(late));
    }

    [Fact]
    public void Changes_NewSubscriber_ReceivesTheCurrentStateOnTheSubscribingThread()
    {
        var tracker = new ConnectionStateTracker(Suspended);
        tracker.Report(Lost);

        var seen = Record(tracker);

        Assert.Equal([Lost], seen.Values);
    }

    [Fact]
    public async Task Report_FromInsideASubscriber_IsDeliveredAfterTheStateBeingHandled()
    {
        var tracker = new ConnectionStateTracker();
        var seen = new ObservationRecorder<ConnectionState>();
        using var reporter = tracker.Changes.Subscribe(state =>
        {
            if (state == Suspended)
            {
                tracker.Report(Reconnected);
            }
        });
        using var subscription = tracker.Changes.Subscribe(seen);

        tracker.Report(Suspended);

        await seen.WaitForAsync(s => s == Reconnected, Wait);
        tracker.Close();
        Assert.Equal([Connected, Suspended, Reconnected, Closed], await AllAsync(seen));
    }

    [Fact]
    public async Task Changes_BlockedOrThrowingSubscriber_DelaysNeitherReportsNorOtherSubscribers()
    {
        var tracker = new ConnectionStateTracker();
        using var release = new ManualResetEventSlim();
        using var blocked = tracker.Changes.Subscribe(state =>
        {
            if (state != Connected)
            {
                release.Wait(Wait);
            }
        });
        var throwingCalls = 0;
        using var throwing = tracker.Changes.Subscribe(_ =>
        {
            Interlocked.Increment(ref throwingCalls);
            throw new InvalidOperationException("subscriber failure");
        });
        var seen = Record(tracker);

        Assert.True(tracker.Report(Suspended));
        Assert.True(tracker.Report(Lost));
        Assert.True(tracker.Report(Reconnected));
        Assert.True(tracker.Close());

        Assert.Equal([Connected, Suspended, Lost, Reconnected, Closed], await AllAsync(seen));
        Assert.Equal(5, Volatile.Read(ref throwingCalls));
        release.Set();
    }

    [Fact]
    public async Task Report_ConcurrentReporters_EverySubscriberSeesTheTakenMovesInOneValidOrder()
    {
        const int Reporters = 4;
        const int ReportsEach = 5_000;
        var tracker = new ConnectionStateTracker();
        var subscribers = Enumerable.Range(0, 3).Select(_ => Record(tracker)).ToList();
        ObservationRecorder<ConnectionState>? joinedLate = null;
        var taken = 0;
        using var start = new Barrier(Reporters);

        var reporters = Enumerable.Range(0, Reporters).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            var open = new[] { Connected, Suspended, Lost, Reconnected };
            start.SignalAndWait(Wait);
            for (var i = 0; i < ReportsEach; i++)
            {
                if (tracker.Report(open[random.Next(open.Length)]))
                {
                    Interlocked.Increment(ref taken);
                }

                if (seed == 0 && i == ReportsEach / 2)
                {
                    joinedLate = Record(tracker);
                }
            }
        })).ToList();
        await Task.WhenAll(reporters).WaitAsync(Wait);
        Assert.True(tracker.Close());

        var first = await AllAsync(subscribers[0]);
        Assert.True(taken > Reporters, $"only {taken} moves were taken; the test did not exercise concurrency");
        Assert.Equal(1 + taken + 1, first.Count);
        Assert.Equal(Connected, first[0]);
        Assert.Equal(Closed, first[^1]);
        for (var i = 1; i < first.Count; i++)
        {
            Assert.True(ConnectionStateTracker.IsAllowed(first[i - 1], first[i]), $"move {first[i - 1]} -> {first[i]} at {i} breaks the rules");
        }

        foreach (var other in subscribers.Skip(1))
        {
            Assert.Equal(first, await AllAsync(other));
        }

        // A subscriber that joined mid-way sees the state current then and every later move: a suffix of the same sequence.
        var late = await AllAsync(joinedLate!);
        Assert.Equal(first.Skip(first.Count - late.Count), late);
    }

    [Fact]
    public void Constructor_ClosedOrUndefinedInitialState_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("initial", () => new ConnectionStateTracker(Closed));
        Assert.Throws<ArgumentOutOfRangeException>("initial", () => new ConnectionStateTracker((ConnectionState)42));
    }

    [Fact]
    public void Report_UndefinedState_ThrowsNamingTheValue()
    {
        var tracker = new ConnectionStateTracker();

        var error = Assert.Throws<ArgumentOutOfRangeException>("next", () => tracker.Report((ConnectionState)42));

        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Equal(Connected, tracker.Current);
    }

    private static ConnectionStateTracker TrackerIn(ConnectionState state)
    {
        if (state == Closed)
        {
            var closed = new ConnectionStateTracker();
            closed.Close();
            return closed;
        }

        var tracker = new ConnectionStateTracker(state == Reconnected ? Suspended : state);
        if (state == Reconnected)
        {
            tracker.Report(Reconnected);
        }

        Assert.Equal(state, tracker.Current);
        return tracker;
    }

    private static ObservationRecorder<ConnectionState> Record(ConnectionStateTracker tracker)
    {
        var recorder = new ObservationRecorder<ConnectionState>();
        tracker.Changes.Subscribe(recorder);
        return recorder;
    }

    /// <summary>Everything the recorder received, once the stream has completed.</summary>
    private static async Task<IReadOnlyList<ConnectionState>> AllAsync(ObservationRecorder<ConnectionState> recorder)
    {
        await recorder.Completed.WaitAsync(Wait);
        return recorder.Values;
    }
}

using SdKit.Client;

namespace SdKit.Etcd.Tests.Internal;

public sealed class ConnectionStateSubjectTests
{
    [Fact]
    public void Report_FailingRequestWhileLost_StaysLostSoTheRegistrarStillRegistersAgain()
    {
        var subject = new ConnectionStateSubject();
        var seen = new List<ConnectionState>();
        using var subscription = subject.Changes.Subscribe(new Collector(seen));

        Assert.True(subject.Report(ConnectionState.Lost));
        Assert.False(subject.Report(ConnectionState.Suspended));
        Assert.False(subject.Report(ConnectionState.Connected));
        Assert.True(subject.Report(ConnectionState.Reconnected));

        Assert.Equal([ConnectionState.Connected, ConnectionState.Lost, ConnectionState.Reconnected], seen);
    }

    [Fact]
    public void Report_RepeatsAndReconnectedWithoutAnOutage_AreDropped()
    {
        var subject = new ConnectionStateSubject();

        Assert.False(subject.Report(ConnectionState.Connected));
        Assert.False(subject.Report(ConnectionState.Reconnected));
        Assert.True(subject.Report(ConnectionState.Suspended));
        Assert.False(subject.Report(ConnectionState.Suspended));
        Assert.True(subject.Report(ConnectionState.Reconnected));
        Assert.Equal(ConnectionState.Reconnected, subject.Current);
    }

    [Fact]
    public void Close_ThenReport_StaysClosedAndCompletesTheStream()
    {
        var subject = new ConnectionStateSubject();
        var seen = new List<ConnectionState>();
        var collector = new Collector(seen);
        using var subscription = subject.Changes.Subscribe(collector);

        subject.Close();

        Assert.False(subject.Report(ConnectionState.Lost));
        Assert.Equal(ConnectionState.Closed, subject.Current);
        Assert.Equal([ConnectionState.Connected, ConnectionState.Closed], seen);
        Assert.True(collector.Completed);
    }

    private sealed class Collector(List<ConnectionState> seen) : IObserver<ConnectionState>
    {
        public bool Completed { get; private set; }

        public void OnNext(ConnectionState value) => seen.Add(value);

        public void OnError(Exception error) => throw error;

        public void OnCompleted() => Completed = true;
    }
}

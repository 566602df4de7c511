using System.Text;
using SdKit.Testing.Network;

namespace SdKit.ZooKeeper.Client.Tests.Session;

/// <summary>
/// A server that is not speaking ZooKeeper is reported as such, each kind of bad answer in its own words, and never
/// as a silent server ("No handshake ... within").
/// </summary>
public sealed class NotZooKeeperPeerTests
{
    public static TheoryData<string, byte[], string> BadAnswers => new()
    {
        { "absurd length (an HTTP answer)", Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"), "announced a frame of 1,213,486,160 bytes, above the limit of 4,096 for a handshake reply: it is not a ZooKeeper server, or not speaking the client protocol (it sent 'HTTP/1.1 400 Bad Request\\r\\n\\r\\n')" },
        { "garbage", [0xff, 0xff, 0xff, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], "sent 17 bytes that are not a ZooKeeper reply (0xFFFFFFF00102030405060708090A0B0C0D)" },
        { "truncated frame", [0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0x27, 0x10, 0, 0], "closed the connection after 10 of the 36 bytes of its handshake reply (a truncated frame)" },
        { "short length prefix", [0, 0], "sent 2 bytes that are not a ZooKeeper reply (0x0000) and closed the connection" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task ConnectAsync_PeerAnswersWithoutZooKeeper_SaysWhatItSent(string kind, byte[] answer, string expected)
    {
        await using var peer = MisbehavingPeer.Answering(answer);

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = peer.Address, ConnectTimeout = TimeSpan.FromSeconds(1) }));

        Assert.True(error.Message.Contains($"The server {peer.Address} {expected}", StringComparison.Ordinal), $"{kind}: {error.Message}");
        Assert.IsType<ZooKeeperProtocolException>(error.InnerException);
        Assert.DoesNotContain("No handshake", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_SilentPeer_SaysNoSessionOpenedAndNothingAboutGarbage()
    {
        await using var peer = MisbehavingPeer.Silent();

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = peer.Address, ConnectTimeout = TimeSpan.FromSeconds(2) }));

        Assert.StartsWith($"Could not open a ZooKeeper session with any of {peer.Address} within 2 s.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not a ZooKeeper reply", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("announced", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_CancelledWhileThePeerSendsGarbage_CarriesTheReason()
    {
        await using var peer = MisbehavingPeer.Answering(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = peer.Address }, cancellationToken: cancel.Token));

        var reason = Assert.IsType<ConnectionLossException>(error.InnerException);
        Assert.Contains("announced a frame of 1,213,486,160 bytes", reason.Message, StringComparison.Ordinal);
    }
}

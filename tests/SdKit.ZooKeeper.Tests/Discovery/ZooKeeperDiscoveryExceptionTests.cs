using SdKit.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>The mapping of the standalone client's failures onto the core's <see cref="DiscoveryException"/>.</summary>
public sealed class ZooKeeperDiscoveryExceptionTests
{
    [Theory]
    [InlineData(ZooKeeperErrorCode.ConnectionLoss, true)]
    [InlineData(ZooKeeperErrorCode.SessionExpired, true)]
    [InlineData(ZooKeeperErrorCode.OperationTimeout, true)]
    [InlineData(ZooKeeperErrorCode.NodeExists, false)]
    [InlineData(ZooKeeperErrorCode.NoAuth, false)]
    public void Mapping_KeepsCodePathMessageAndTransience(ZooKeeperErrorCode code, bool transient)
    {
        var failure = ZooKeeperException.Create(code, "/services/a");

        DiscoveryException mapped = new ZooKeeperDiscoveryException(failure);

        var typed = Assert.IsType<ZooKeeperDiscoveryException>(mapped);
        Assert.Same(failure, typed.InnerException);
        Assert.Equal(code, typed.Code);
        Assert.Equal("/services/a", typed.Path);
        Assert.Equal(failure.Message, typed.Message);
        Assert.Equal(transient, typed.IsTransient);
    }

    [Fact]
    public void ClientExceptions_AreNotDiscoveryExceptions()
    {
        // The client stands alone: its root is its own, so only the backend's mapping makes a DiscoveryException.
        Assert.False(typeof(DiscoveryException).IsAssignableFrom(typeof(ZooKeeperException)));
        Assert.Equal(typeof(Exception), typeof(ZooKeeperException).BaseType);
        Assert.True(typeof(ZooKeeperException).IsAssignableFrom(typeof(ZooKeeperProtocolException)));
    }
}

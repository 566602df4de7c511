namespace SdKit.ZooKeeper.Client.Tests;

public sealed class ZooKeeperClientOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new ZooKeeperClientOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.SessionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.ConnectTimeout);
        Assert.Equal(2 * 1024 * 1024, options.MaxFrameSize);
        Assert.Equal(0xfffff, options.MaxRequestSize);
        Assert.False(options.CanBeReadOnly);
        Assert.True(options.ReconnectAfterExpiry);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Empty(options.Authentication);
    }

    [Theory]
    [InlineData(nameof(ZooKeeperClientOptions.SessionTimeout), "SessionTimeout must be between 100 ms and 30 minutes")]
    [InlineData(nameof(ZooKeeperClientOptions.ConnectTimeout), "ConnectTimeout must be positive")]
    [InlineData(nameof(ZooKeeperClientOptions.MaxFrameSize), "MaxFrameSize must be at least 64 KiB")]
    [InlineData(nameof(ZooKeeperClientOptions.MaxRequestSize), "MaxRequestSize must be at least 1 KiB")]
    public void Validate_OutOfRange_ThrowsNamingSetting(string setting, string expected)
    {
        var options = new ZooKeeperClientOptions { ConnectString = "127.0.0.1:2181" };
        switch (setting)
        {
            case nameof(ZooKeeperClientOptions.SessionTimeout): options.SessionTimeout = TimeSpan.FromMilliseconds(10); break;
            case nameof(ZooKeeperClientOptions.ConnectTimeout): options.ConnectTimeout = TimeSpan.Zero; break;
            case nameof(ZooKeeperClientOptions.MaxFrameSize): options.MaxFrameSize = 100; break;
            default: options.MaxRequestSize = 10; break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public async Task ConnectAsync_MalformedConnectString_ThrowsBeforeConnecting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = "host:notaport" }));

        Assert.Contains("notaport", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsConnectionLossAfterConnectTimeout()
    {
        var port = SdKit.Testing.Network.FreePort.Next();
        var options = new ZooKeeperClientOptions { ConnectString = $"127.0.0.1:{port}", ConnectTimeout = TimeSpan.FromMilliseconds(500) };

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => ZooKeeperClient.ConnectAsync(options));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void DigestId_KnownCredentials_MatchesServerDigest()
        => Assert.Equal("alice:uLxpHc/uhT86OXPoSjJTp1M8CJY=", ZooKeeperAcl.DigestId("alice", "s3cret"));

    [Fact]
    public void ZooKeeperExceptionCreate_EveryCode_MapsToTypedExceptionWithCode()
    {
        foreach (var code in Enum.GetValues<ZooKeeperErrorCode>())
        {
            var error = ZooKeeperException.Create(code, "/p");
            Assert.Equal(code, error.Code);
            Assert.Equal("/p", error.Path);
            Assert.Contains("'/p'", error.Message, StringComparison.Ordinal);
        }

        Assert.IsType<NoNodeException>(ZooKeeperException.Create(ZooKeeperErrorCode.NoNode, "/p"));
        Assert.IsType<SessionExpiredException>(ZooKeeperException.Create(ZooKeeperErrorCode.SessionExpired, null));
        Assert.IsType<OperationTimeoutException>(ZooKeeperException.Create(ZooKeeperErrorCode.RequestTimeout, null));
        Assert.True(ZooKeeperException.Create(ZooKeeperErrorCode.ConnectionLoss, null).IsTransient);
        Assert.False(ZooKeeperException.Create(ZooKeeperErrorCode.NoAuth, null).IsTransient);
    }
}

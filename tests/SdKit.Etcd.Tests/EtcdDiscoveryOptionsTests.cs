namespace SdKit.Etcd.Tests;

public sealed class EtcdDiscoveryOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreTenSecondLeaseKeptAliveEveryThirdAndFiveSecondRequests()
    {
        var options = new EtcdDiscoveryOptions();

        Assert.Empty(options.Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(10), options.LeaseTtl);
        Assert.Null(options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(10) / 3, options.EffectiveKeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxRetryDelay);
        Assert.Equal(3, options.WatchResumeAttempts);
        Assert.Null(options.Username);
        Assert.Null(options.TrustedCaFile);
    }

    [Fact]
    public async Task ConnectAsync_NoEndpoints_ThrowsNamingTheProblem()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EtcdDiscoveryClient.ConnectAsync(new EtcdDiscoveryOptions()));

        Assert.Contains("Endpoints is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("grpc://127.0.0.1:2379")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:2379/v3")]
    public void Validate_MalformedEndpoint_NamesIt(string endpoint)
    {
        var options = new EtcdDiscoveryOptions();
        options.Endpoints.Add(endpoint);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains($"Endpoint '{endpoint}' is not a client URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryOne()
    {
        var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromMilliseconds(1500), RequestTimeout = TimeSpan.Zero, Username = "alice", ClientCertificateFile = "/nonexistent/client.crt" };
        options.Endpoints.Add("http://127.0.0.1:2379");
        options.Endpoints.Add("https://127.0.0.1:2380");

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("mix 'http' and 'https'", error.Message, StringComparison.Ordinal);
        Assert.Contains("LeaseTtl 00:00:01.5000000 must be a whole number of seconds", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout 00:00:00 must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("Username and Password go together", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientCertificateFile and ClientKeyFile go together", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientCertificateFile '/nonexistent/client.crt' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeepAliveNotShorterThanTtl_Throws()
    {
        var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(2), KeepAliveInterval = TimeSpan.FromSeconds(2) };
        options.Endpoints.Add("http://127.0.0.1:2379");

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("KeepAliveInterval 00:00:02 must be positive and shorter than LeaseTtl 00:00:02", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TlsFilesWithHttpEndpoints_Throws()
    {
        var ca = Path.GetTempFileName();
        try
        {
            var options = new EtcdDiscoveryOptions { TrustedCaFile = ca };
            options.Endpoints.Add("http://127.0.0.1:2379");

            var error = Assert.Throws<ArgumentException>(options.Validate);

            Assert.Contains("use 'https://' endpoints", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(ca);
        }
    }
}

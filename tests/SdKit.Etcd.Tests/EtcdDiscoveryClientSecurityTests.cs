using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>TLS with a client certificate, and a user whose role is limited to <see cref="EtcdSecureFixture.Prefix"/>.</summary>
public sealed class EtcdDiscoveryClientSecurityTests(EtcdSecureFixture etcd) : IClassFixture<EtcdSecureFixture>
{
    private EtcdDiscoveryOptions SecureOptions(string password = EtcdSecurity.Password, string? caFile = null)
    {
        var certificates = etcd.Cluster.Certificates!;
        var options = Clients.Options(etcd.Cluster);
        options.Username = EtcdSecurity.User;
        options.Password = password;
        options.TrustedCaFile = caFile ?? certificates.CaFile;
        options.ClientCertificateFile = certificates.ClientCertificateFile;
        options.ClientKeyFile = certificates.ClientKeyFile;
        return options;
    }

    [Fact]
    public async Task ConnectAsync_TlsClientCertificateAndUser_RegistersAndWatchesUnderItsPrefix()
    {
        await using var client = await EtcdDiscoveryClient.ConnectAsync(SecureOptions());
        var path = Clients.NewServicePath("/secure");
        await using var watch = new WatchRecorder(client, path);
        await watch.WaitForAsync();

        var registration = await client.RegisterAsync(new ServiceEntry(path, "tls:1"));

        await watch.WaitForAsync("tls:1");
        await client.DeregisterAsync(registration);
        await watch.WaitForAsync();
        Assert.StartsWith("https://", client.Endpoints, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_ThrowsAClearNonTransientError()
    {
        var error = await Assert.ThrowsAsync<EtcdException>(() => EtcdDiscoveryClient.ConnectAsync(SecureOptions(password: "not-the-password")).WaitAsync(Timeouts.Event));

        Assert.False(error.IsTransient);
        Assert.Contains($"refused the credentials of user '{EtcdSecurity.User}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ServerCertificateFromAnotherCa_ThrowsATlsError()
    {
        var error = await Assert.ThrowsAsync<EtcdException>(() => EtcdDiscoveryClient.ConnectAsync(SecureOptions(caFile: etcd.Cluster.Certificates!.OtherCaFile)).WaitAsync(Timeouts.Event));

        Assert.False(error.IsTransient);
        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_OutsideTheUsersPrefix_ThrowsPermissionDenied()
    {
        await using var client = await EtcdDiscoveryClient.ConnectAsync(SecureOptions());

        var error = await Assert.ThrowsAsync<EtcdException>(async () => await client.RegisterAsync(new ServiceEntry("/elsewhere/svc", "x:1")));

        Assert.False(error.IsTransient);
        Assert.Contains($"denied put of '/elsewhere/svc/", error.Message, StringComparison.Ordinal);
        Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_OutsideTheUsersPrefix_ThrowsPermissionDenied()
    {
        await using var client = await EtcdDiscoveryClient.ConnectAsync(SecureOptions());

        var error = await Assert.ThrowsAsync<EtcdException>(async () =>
        {
            await foreach (var snapshot in client.WatchAsync("/elsewhere/svc"))
            {
                Assert.Fail($"A forbidden watch yielded {snapshot.Count} instances.");
            }
        });

        Assert.False(error.IsTransient);
        Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_ManyAtOnceWithOneOutsideTheUsersPrefix_OnlyThatOneIsRefused()
    {
        await using var client = await EtcdDiscoveryClient.ConnectAsync(SecureOptions());
        var root = Clients.NewServicePath("/secure");

        // Started together, the listings go to etcd in batches (one transaction each): a refused prefix in a batch
        // must not refuse the others.
        var allowed = Enumerable.Range(0, 24).Select(i => new WatchRecorder(client, $"{root}-{i}")).ToList();
        var forbidden = new WatchRecorder(client, "/elsewhere/batched");
        try
        {
            foreach (var watch in allowed)
            {
                await watch.WaitForAsync();
            }

            await Assert.ThrowsAsync<InvalidOperationException>(() => forbidden.WaitForAsync());
            var error = Assert.IsType<EtcdException>(forbidden.Error);
            Assert.False(error.IsTransient);
            Assert.Contains("denied list of '/elsewhere/batched/'", error.Message, StringComparison.Ordinal);
            Assert.All(allowed, watch => Assert.Null(watch.Error));
        }
        finally
        {
            await forbidden.DisposeAsync();
            foreach (var watch in allowed)
            {
                await watch.DisposeAsync();
            }
        }
    }
}

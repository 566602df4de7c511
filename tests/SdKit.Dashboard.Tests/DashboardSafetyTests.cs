using SdKit.Cli.Tests.Support;
using SdKit.Dashboard.Tests.Support;
using SdKit.Testing.Etcd;
using Xunit;

namespace SdKit.Dashboard.Tests;

/// <summary>
/// What the dashboard refuses and what it never shows: another address than loopback needs a flag, and the page
/// carries no secret of a TLS etcd with a user and password (real secured member on loopback).
/// </summary>
public sealed class DashboardSafetyTests(EtcdSecureFixture etcd) : IClassFixture<EtcdSecureFixture>
{
    [Fact]
    public async Task Dashboard_NonLoopbackWithoutAllowRemote_RefusesInOneLine()
    {
        var (exitCode, _, error) = await SdKitTool.RunAsync("dashboard", "--zk", "127.0.0.1:1", "--listen", "0.0.0.0:0");

        Assert.Equal(1, exitCode);
        Assert.Equal("sdkit: error: --listen 0.0.0.0:0 is not a loopback address; the dashboard has no authentication, so serving it to other machines needs --allow-remote\n", error);
    }

    [Fact]
    public async Task Dashboard_InMemory_SaysItNeedsARegistry()
    {
        var (exitCode, _, error) = await SdKitTool.RunAsync("dashboard", "--memory");

        Assert.Equal(1, exitCode);
        Assert.Equal("sdkit: error: the dashboard shows a ZooKeeper or etcd registry: pass --zk or --etcd\n", error);
    }

    [Fact]
    public async Task Dashboard_EtcdWithTlsUserAndPassword_NoSecretReachesThePage()
    {
        var certificates = etcd.Cluster.Certificates!;
        const string root = EtcdSecureFixture.Prefix + "dash";
        var tool = RegistryTool.Etcd(etcd.Endpoints) with
        {
            Connection = ["--etcd-ca", certificates.CaFile, "--etcd-cert", certificates.ClientCertificateFile, "--etcd-key", certificates.ClientKeyFile, "--etcd-user", EtcdSecurity.User],
            Environment = new Dictionary<string, string> { ["SDKIT_ETCD_PASSWORD"] = EtcdSecurity.Password },
        };
        await using var register = tool.Start("register", "--path", root + "/hello", "--instance", "http://127.0.0.1:8080");
        await register.WaitForLineAsync(l => l.StartsWith("registered ", StringComparison.Ordinal));
        await using var dashboard = await DashboardTool.StartAsync(tool, root);
        using var http = new HttpClient { BaseAddress = dashboard.Address };

        var state = await http.GetStringAsync("api/state");
        var page = await http.GetStringAsync("/") + await http.GetStringAsync("app.js");
        using var stream = await http.GetStreamAsync("api/events");
        using var reader = new StreamReader(stream);
        var firstEvent = await reader.ReadLineAsync() + await reader.ReadLineAsync();
        var keyBody = File.ReadAllLines(certificates.ClientKeyFile)[1];

        Assert.Contains("http://127.0.0.1:8080", state, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8080", firstEvent, StringComparison.Ordinal);
        foreach (var text in new[] { state, page, firstEvent })
        {
            Assert.DoesNotContain(EtcdSecurity.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(certificates.ClientKeyFile, text, StringComparison.Ordinal);
            Assert.DoesNotContain(certificates.ClientCertificateFile, text, StringComparison.Ordinal);
            Assert.DoesNotContain(certificates.CaFile, text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyBody, text, StringComparison.Ordinal);
        }

        await dashboard.StopAsync();
    }
}

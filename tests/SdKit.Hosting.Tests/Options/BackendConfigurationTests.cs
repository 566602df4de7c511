using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SdKit.Etcd;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;
using Xunit;

namespace SdKit.Hosting.Tests.Options;

/// <summary>
/// AddZooKeeper/AddEtcd bind their whole configuration section, not only the address: every key reaches its option,
/// code after configuration wins, and a misspelt key or a value that does not convert fails the host's start naming
/// the key and the value.
/// </summary>
public sealed class BackendConfigurationTests
{
    [Fact]
    public void AddZooKeeper_EverySetting_ReachesItsOption()
    {
        using var host = Build(new()
        {
            ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181,127.0.0.1:2182/apps",
            ["SdKit:ZooKeeper:SessionTimeout"] = "00:00:04",
            ["SdKit:ZooKeeper:ConnectTimeout"] = "00:00:07",
            ["SdKit:ZooKeeper:MaxFrameSize"] = "4194304",
            ["SdKit:ZooKeeper:MaxRequestSize"] = "65536",
            ["SdKit:ZooKeeper:CanBeReadOnly"] = "true",
            ["SdKit:ZooKeeper:ReconnectAfterExpiry"] = "false",
            ["SdKit:ZooKeeper:Layout"] = "named",
            ["SdKit:ZooKeeper:WatchMode"] = "children",
            ["SdKit:ZooKeeper:Attempts"] = "5",
            ["SdKit:ZooKeeper:ReadBatchSize"] = "64",
            ["SdKit:ZooKeeper:Digest:User"] = "app",
            ["SdKit:ZooKeeper:Digest:Password"] = "secret",
            ["SdKit:ZooKeeper:ParentAcl:0:Scheme"] = "world",
            ["SdKit:ZooKeeper:ParentAcl:0:Id"] = "anyone",
            ["SdKit:ZooKeeper:ParentAcl:0:Permissions"] = "Read, Create, Delete",
            ["SdKit:ZooKeeper:ParentData:0"] = "root payload",
        }, sdkit => sdkit.AddZooKeeper());

        var options = host.Services.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value;

        Assert.Equal("127.0.0.1:2181,127.0.0.1:2182/apps", options.Connection.ConnectString);
        Assert.Equal(TimeSpan.FromSeconds(4), options.Connection.SessionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Connection.ConnectTimeout);
        Assert.Equal(4194304, options.Connection.MaxFrameSize);
        Assert.Equal(65536, options.Connection.MaxRequestSize);
        Assert.True(options.Connection.CanBeReadOnly);
        Assert.False(options.Connection.ReconnectAfterExpiry);
        Assert.Equal(ZooKeeperNodeLayout.Named, options.Layout);
        Assert.Equal(ZooKeeperWatchMode.Children, options.WatchMode);
        Assert.Equal(5, options.Attempts);
        Assert.Equal(64, options.ReadBatchSize);
        Assert.Equal([ZooKeeperAuthInfo.Digest("app", "secret").ToString()], options.Connection.Authentication.Select(a => a.ToString()));
        Assert.Equal("app:secret", Encoding.UTF8.GetString(options.Connection.Authentication.Single().Auth.Span));
        Assert.Equal(ZooKeeperAcl.OpenUnsafe, options.NodeAcl);
        Assert.Equal([new ZooKeeperAcl(ZooKeeperPermissions.Read | ZooKeeperPermissions.Create | ZooKeeperPermissions.Delete, "world", "anyone")], options.ParentAcl);
        Assert.Equal("root payload", Encoding.UTF8.GetString(Assert.Single(options.ParentData)));
    }

    [Fact]
    public void AddZooKeeper_DigestThatOwnsTheNodes_SetsCredentialsAndBothAcls()
    {
        using var host = Build(new()
        {
            ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181",
            ["SdKit:ZooKeeper:Digest:User"] = "app",
            ["SdKit:ZooKeeper:Digest:Password"] = "secret",
            ["SdKit:ZooKeeper:Digest:OwnNodes"] = "true",
        }, sdkit => sdkit.AddZooKeeper());

        var options = host.Services.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value;

        ZooKeeperAcl[] expected = [new(ZooKeeperPermissions.Read, "world", "anyone"), ZooKeeperAcl.Digest("app", "secret", ZooKeeperPermissions.All)];
        Assert.Equal(expected, options.NodeAcl);
        Assert.Equal(expected, options.ParentAcl);
        Assert.Single(options.Connection.Authentication);
    }

    [Fact]
    public void AddZooKeeper_CodeAfterConfiguration_Wins()
    {
        using var host = Build(new()
        {
            ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181",
            ["SdKit:ZooKeeper:SessionTimeout"] = "00:00:04",
        }, sdkit => sdkit.AddZooKeeper(zk => zk.Connection.SessionTimeout = TimeSpan.FromSeconds(6)));

        var options = host.Services.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(6), options.Connection.SessionTimeout);
        Assert.Equal("127.0.0.1:2181", options.Connection.ConnectString);
    }

    [Theory]
    [InlineData("SdKit:ZooKeeper:SesionTimeout", "00:00:04", "SdKit:ZooKeeper:SesionTimeout is not a ZooKeeper setting (known: ConnectString, SessionTimeout,")]
    [InlineData("SdKit:ZooKeeper:SessionTimeout", "4s", "SdKit:ZooKeeper:SessionTimeout '4s' is not a time span such as 00:00:10.")]
    [InlineData("SdKit:ZooKeeper:CanBeReadOnly", "yes", "SdKit:ZooKeeper:CanBeReadOnly 'yes' is not true or false.")]
    [InlineData("SdKit:ZooKeeper:Layout", "Flat", "SdKit:ZooKeeper:Layout 'Flat' is not one of Protected, Named, Curator.")]
    [InlineData("SdKit:ZooKeeper:InstanceFormat", "xml", "SdKit:ZooKeeper:InstanceFormat 'xml' is not an instance format (known: plain, seed-etcd-json, sdkit-json, curator).")]
    [InlineData("SdKit:ZooKeeper:Layout", "7", "SdKit:ZooKeeper:Layout '7' is not one of")]
    [InlineData("SdKit:ZooKeeper:NodeAcl:0:Permissions", "Read, Fly", "SdKit:ZooKeeper:NodeAcl:0 needs Scheme and Id")]
    [InlineData("SdKit:ZooKeeper:Digest:User", "app", "SdKit:ZooKeeper:Digest needs User (without ':') and Password, not User 'app'.")]
    [InlineData("SdKit:ZooKeeper:SessionTimeout", "01:00:00", "SdKit:ZooKeeper:SessionTimeout: SessionTimeout must be between 100 ms and 30 minutes, not 01:00:00.")]
    public async Task StartAsync_ZooKeeperSettingThatCannotWork_FailsNamingTheKeyAndValue(string key, string value, string expected)
    {
        using var host = Build(new() { ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181", [key] = value }, sdkit => sdkit.AddZooKeeper());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ZooKeeperAclWithAnUnknownPermission_FailsNamingIt()
    {
        using var host = Build(new()
        {
            ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181",
            ["SdKit:ZooKeeper:NodeAcl:0:Scheme"] = "world",
            ["SdKit:ZooKeeper:NodeAcl:0:Id"] = "anyone",
            ["SdKit:ZooKeeper:NodeAcl:0:Permissions"] = "Read, Fly",
        }, sdkit => sdkit.AddZooKeeper());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.StartsWith("SdKit:ZooKeeper:NodeAcl:0:Permissions 'Read, Fly' is not a list of None, Read, Write, Create, Delete, Admin, All", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEtcd_EverySetting_ReachesItsOption()
    {
        var ca = Path.GetTempFileName();
        var cert = Path.GetTempFileName();
        var key = Path.GetTempFileName();
        try
        {
            using var host = Build(new()
            {
                ["SdKit:Etcd:Endpoints:0"] = "https://127.0.0.1:2379",
                ["SdKit:Etcd:Endpoints:1"] = "https://127.0.0.1:2479",
                ["SdKit:Etcd:LeaseTtl"] = "00:00:07",
                ["SdKit:Etcd:KeepAliveInterval"] = "00:00:02",
                ["SdKit:Etcd:RequestTimeout"] = "00:00:03",
                ["SdKit:Etcd:MaxRetryDelay"] = "00:00:01",
                ["SdKit:Etcd:WatchResumeAttempts"] = "9",
                ["SdKit:Etcd:Username"] = "app",
                ["SdKit:Etcd:Password"] = "secret",
                ["SdKit:Etcd:TrustedCaFile"] = ca,
                ["SdKit:Etcd:ClientCertificateFile"] = cert,
                ["SdKit:Etcd:ClientKeyFile"] = key,
            }, sdkit => sdkit.AddEtcd());

            var options = host.Services.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value;

            Assert.Equal(["https://127.0.0.1:2379", "https://127.0.0.1:2479"], options.Endpoints);
            Assert.Equal(TimeSpan.FromSeconds(7), options.LeaseTtl);
            Assert.Equal(TimeSpan.FromSeconds(2), options.KeepAliveInterval);
            Assert.Equal(TimeSpan.FromSeconds(3), options.RequestTimeout);
            Assert.Equal(TimeSpan.FromSeconds(1), options.MaxRetryDelay);
            Assert.Equal(9, options.WatchResumeAttempts);
            Assert.Equal(("app", "secret"), (options.Username, options.Password));
            Assert.Equal((ca, cert, key), (options.TrustedCaFile, options.ClientCertificateFile, options.ClientKeyFile));
        }
        finally
        {
            File.Delete(ca);
            File.Delete(cert);
            File.Delete(key);
        }
    }

    [Theory]
    [InlineData("SdKit:Etcd:LeaseTTl", "00:00:07", null)]
    [InlineData("SdKit:Etcd:Lease", "00:00:07", "SdKit:Etcd:Lease is not an etcd setting (known: Endpoints, LeaseTtl,")]
    [InlineData("SdKit:Etcd:LeaseTtl", "00:00:01.5", "SdKit:Etcd: Invalid etcd options: LeaseTtl 00:00:01.5000000 must be a whole number of seconds")]
    [InlineData("SdKit:Etcd:InstanceFormat", "yaml", "SdKit:Etcd:InstanceFormat 'yaml' is not an instance format (known: plain, seed-etcd-json, sdkit-json, curator).")]
    [InlineData("SdKit:Etcd:LeaseTtl", "seven", "SdKit:Etcd:LeaseTtl 'seven' is not a time span such as 00:00:10.")]
    [InlineData("SdKit:Etcd:WatchResumeAttempts", "many", "SdKit:Etcd:WatchResumeAttempts 'many' is not a whole number.")]
    [InlineData("SdKit:Etcd:Username", "app", "SdKit:Etcd: Invalid etcd options: Username and Password go together: give both or neither.")]
    [InlineData("SdKit:Etcd:TrustedCaFile", "/nonexistent/ca.pem", "SdKit:Etcd: Invalid etcd options: TLS files are set but the endpoints use 'http'; use 'https://' endpoints. TrustedCaFile '/nonexistent/ca.pem' does not exist.")]
    public async Task StartAsync_EtcdSetting_FailsNamingTheKeyAndValueOrStarts(string key, string value, string? expected)
    {
        using var host = Build(new() { ["SdKit:Etcd:Endpoints"] = "http://127.0.0.1:2379", [key] = value }, sdkit => sdkit.AddEtcd());

        if (expected is null)
        {
            // Keys are case-insensitive, as everywhere in Microsoft.Extensions.Configuration.
            Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value.LeaseTtl);
            return;
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, ZooKeeperNodeLayout.Curator)]
    [InlineData("Protected", ZooKeeperNodeLayout.Protected)]
    public void AddZooKeeper_CuratorFormat_SelectsCuratorsLayoutUnlessTheLayoutIsGiven(string? layout, ZooKeeperNodeLayout expected)
    {
        var settings = new Dictionary<string, string?> { ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181", ["SdKit:ZooKeeper:InstanceFormat"] = "Curator" };
        if (layout is not null)
        {
            settings["SdKit:ZooKeeper:Layout"] = layout;
        }

        using var host = Build(settings, sdkit => sdkit.AddZooKeeper());

        var options = host.Services.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value;

        Assert.Equal("curator", options.InstanceFormat);
        Assert.Equal(expected, options.Layout);
    }

    [Fact]
    public async Task StartAsync_ZooKeeperJsonFormatWithTheNamedLayout_FailsNamingTheFormat()
    {
        using var host = Build(new()
        {
            ["SdKit:ZooKeeper:ConnectString"] = "127.0.0.1:2181",
            ["SdKit:ZooKeeper:InstanceFormat"] = "sdkit-json",
            ["SdKit:ZooKeeper:Layout"] = "Named",
        }, sdkit => sdkit.AddZooKeeper());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Start));

        Assert.StartsWith("SdKit:ZooKeeper:InstanceFormat: InstanceFormat 'sdkit-json' is stored in the node's data, but the Named layout stores no data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEtcd_InstanceFormat_ReachesItsOption()
    {
        using var host = Build(new() { ["SdKit:Etcd:Endpoints"] = "http://127.0.0.1:2379", ["SdKit:Etcd:InstanceFormat"] = "seed-etcd-json" }, sdkit => sdkit.AddEtcd());

        Assert.Equal("seed-etcd-json", host.Services.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value.InstanceFormat);
    }

    private static IHost Build(Dictionary<string, string?> settings, Action<ISdKitBuilder> backend)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        backend(builder.Services.AddSdKit());
        return builder.Build();
    }
}

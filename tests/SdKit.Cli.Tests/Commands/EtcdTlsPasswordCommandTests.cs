using SdKit.Cli.Tests.Support;
using SdKit.Testing.Etcd;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

/// <summary>
/// The tool against one real etcd member serving TLS without requiring a client certificate, with auth on: a user
/// trusts the CA with <c>--etcd-ca</c> and logs in with <c>--etcd-user</c> and a password (one member for the class).
/// </summary>
public sealed class EtcdTlsPasswordCommandTests(EtcdTlsPasswordFixture etcd) : IClassFixture<EtcdTlsPasswordFixture>
{
    private const string Path = EtcdTlsPasswordFixture.Prefix + "cli/password";

    private RegistryTool Tool(params string[] connection)
        => RegistryTool.Etcd(etcd.Endpoints) with { Connection = ["--etcd-ca", etcd.Cluster.Certificates!.CaFile, .. connection] };

    [Fact]
    public async Task RegisterList_CaUserAndPassword_ListsTheInstanceUntilSigterm()
    {
        var tool = Tool("--etcd-user", EtcdSecurity.User, "--etcd-password", EtcdSecurity.Password);
        await using var register = tool.Start("register", "--path", Path, "--instance", "127.0.0.1:8081");
        await register.WaitForLineAsync(l => l == $"registered 127.0.0.1:8081 under {Path}");

        var listed = await tool.RunAsync("list", "--path", Path);
        register.Terminate();
        var registerExit = await register.WaitForExitAsync();
        var after = await tool.RunAsync("list", "--path", Path);

        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Equal("127.0.0.1:8081\n", listed.Output);
        Assert.True(registerExit == 0, register.Error);
        Assert.True(after.ExitCode == 0, after.Error);
        Assert.Empty(after.Output);
    }

    [Fact]
    public async Task List_PasswordFromTheEnvironment_ListsWithoutError()
    {
        var tool = Tool("--etcd-user", EtcdSecurity.User) with { Environment = new Dictionary<string, string> { ["SDKIT_ETCD_PASSWORD"] = EtcdSecurity.Password } };

        var (exitCode, output, error) = await tool.RunAsync("list", "--path", Path + "/env", "--json");

        Assert.True(exitCode == 0, error);
        Assert.Equal("{\"instances\":[],\"error\":null}\n", output);
    }

    [Fact]
    public async Task List_NoUser_SaysEtcdNeedsTheUserAndPasswordOptions()
    {
        var (exitCode, _, error) = await (Tool() with { Timeout = "20s" }).RunAsync("list", "--path", Path);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"sdkit: error: etcd {etcd.Endpoints}: etcd at {etcd.Endpoints} requires authentication for list of '{Path}/': set --etcd-user and --etcd-password (etcdserver: user name is empty)",
            ToolAssert.OneLineError(error));
    }
}

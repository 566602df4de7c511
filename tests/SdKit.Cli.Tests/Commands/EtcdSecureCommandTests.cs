using System.Diagnostics;
using SdKit.Cli.Tests.Support;
using SdKit.Testing.Etcd;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

/// <summary>
/// The tool against one real etcd member serving TLS that requires a client certificate, with auth on and a user
/// limited to <see cref="EtcdSecureFixture.Prefix"/> (one member for the class).
/// </summary>
public sealed class EtcdSecureCommandTests(EtcdSecureFixture etcd) : IClassFixture<EtcdSecureFixture>
{
    private const string Empty = "{\"instances\":[],\"error\":null}";

    /// <summary>Failing commands get a long --timeout: each failure below is final, so the tool must not wait it out.</summary>
    private const double FailureTimeoutSeconds = 20;

    private EtcdCertificates Certificates => etcd.Cluster.Certificates!;

    private string[] CaArguments => ["--etcd-ca", Certificates.CaFile];

    private string[] ClientCertificateArguments => ["--etcd-cert", Certificates.ClientCertificateFile, "--etcd-key", Certificates.ClientKeyFile];

    private static string[] UserArguments(string password = EtcdSecurity.Password) => ["--etcd-user", EtcdSecurity.User, "--etcd-password", password];

    [Fact]
    public async Task RegisterWatchList_CaClientCertificateUserAndPassword_ListsTheInstance()
    {
        const string path = EtcdSecureFixture.Prefix + "cli/hello";
        const string registered = "{\"instances\":[\"http://127.0.0.1:8080\"],\"error\":null}";
        var tool = Tool(RegistryTool.Patience, [.. CaArguments, .. ClientCertificateArguments, .. UserArguments()]);
        await using var watch = tool.Start("watch", "--path", path, "--json");
        await watch.WaitForLineAsync(l => l == Empty);

        await using var register = tool.Start("register", "--path", path, "--instance", "http://127.0.0.1:8080");
        await register.WaitForLineAsync(l => l == $"registered http://127.0.0.1:8080 under {path}");
        await watch.WaitForLineAsync(l => l == registered);
        var list = await tool.RunAsync("list", "--path", path, "--json");
        register.Terminate();
        var registerExit = await register.WaitForExitAsync();
        await watch.WaitForLineAsync(l => l == Empty);
        watch.Terminate();
        var watchExit = await watch.WaitForExitAsync();

        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Equal(registered + "\n", list.Output);
        Assert.True(registerExit == 0, register.Error);
        Assert.EndsWith($"deregistered http://127.0.0.1:8080 from {path}\n", register.Output, StringComparison.Ordinal);
        Assert.True(watchExit == 0, watch.Error);
        Assert.Empty(register.Error);
        Assert.Empty(watch.Error);
    }

    [Fact]
    public async Task List_WrongPassword_SaysAuthenticationFailedWithoutWaitingForTheTimeout()
    {
        var (exitCode, elapsed, line) = await FailAsync("list", [.. CaArguments, .. ClientCertificateArguments, .. UserArguments("not-the-password")]);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"sdkit: error: etcd {etcd.Endpoints}: etcd at {etcd.Endpoints} refused the credentials of user '{EtcdSecurity.User}' during lease grant of 'TTL 10 s': etcdserver: authentication failed, invalid user ID or password",
            line);
        Assert.True(elapsed < FailureTimeoutSeconds, $"The refused password took {elapsed:0.0} s, the whole --timeout.");
    }

    [Fact]
    public async Task Register_OutsideTheUsersPrefix_SaysPermissionDenied()
    {
        var (exitCode, elapsed, line) = await FailAsync("register", [.. CaArguments, .. ClientCertificateArguments, .. UserArguments(), "--path", "/elsewhere/hello", "--instance", "127.0.0.1:8080"]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"sdkit: error: etcd {etcd.Endpoints}: etcd at {etcd.Endpoints} denied list of '/elsewhere/hello/' to user '{EtcdSecurity.User}': etcdserver: permission denied", line);
        Assert.True(elapsed < FailureTimeoutSeconds, $"The denial took {elapsed:0.0} s, the whole --timeout.");
    }

    [Fact]
    public async Task List_ClientCertificateButNoUser_SaysNoUserWasGiven()
    {
        var (exitCode, _, line) = await FailAsync("list", [.. CaArguments, .. ClientCertificateArguments, "--path", EtcdSecureFixture.Prefix + "cli/anonymous"]);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"sdkit: error: etcd {etcd.Endpoints}: etcd at {etcd.Endpoints} denied list of '{EtcdSecureFixture.Prefix}cli/anonymous/' to user '': etcdserver: permission denied (no --etcd-user given: etcd goes by the common name of the client certificate)",
            line);
    }

    [Fact]
    public async Task List_NoCa_SaysTheServerCertificateIsNotTrustedAndNamesEtcdCa()
    {
        var (exitCode, elapsed, line) = await FailAsync("list", [.. ClientCertificateArguments, .. UserArguments()]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"sdkit: error: etcd {etcd.Endpoints}: TLS failed: the server's certificate is not trusted; pass the CA that signed it with --etcd-ca (", line, StringComparison.Ordinal);
        Assert.True(elapsed < FailureTimeoutSeconds, $"The untrusted certificate took {elapsed:0.0} s, the whole --timeout.");
    }

    [Fact]
    public async Task List_AnotherCa_SaysTheServerCertificateIsNotAcceptedByThatCa()
    {
        var (exitCode, elapsed, line) = await FailAsync("list", ["--etcd-ca", Certificates.OtherCaFile, .. ClientCertificateArguments, .. UserArguments()]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith(
            $"sdkit: error: etcd {etcd.Endpoints}: TLS failed: the server's certificate was not accepted; it must be signed by the CA in --etcd-ca ({Certificates.OtherCaFile}) and name the host in --etcd (",
            line,
            StringComparison.Ordinal);
        Assert.True(elapsed < FailureTimeoutSeconds, $"The untrusted certificate took {elapsed:0.0} s, the whole --timeout.");
    }

    [Fact]
    public async Task List_NoClientCertificate_SaysTheServerMayRequireOne()
    {
        var (exitCode, elapsed, line) = await FailAsync("list", [.. CaArguments, .. UserArguments()]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"sdkit: error: etcd {etcd.Endpoints}: TLS failed: the server closed the connection while setting it up; it may require a client certificate (--etcd-cert and --etcd-key)", line);
        Assert.True(elapsed < FailureTimeoutSeconds, $"The refused connection took {elapsed:0.0} s, the whole --timeout.");
    }

    [Fact]
    public async Task List_ClientCertificateFromAnotherCa_SaysTheServerMayNotAcceptIt()
    {
        // A certificate the server's CA did not sign: the other CA's own, with its key.
        var (exitCode, _, line) = await FailAsync("list", [.. CaArguments, "--etcd-cert", Certificates.OtherCaFile, "--etcd-key", Path.Combine(Certificates.Folder, "other-ca.key"), .. UserArguments()]);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"sdkit: error: etcd {etcd.Endpoints}: TLS failed: the server closed the connection while setting it up; it may not accept the client certificate in --etcd-cert ({Certificates.OtherCaFile})",
            line);
    }

    [Fact]
    public async Task List_CaFileMissing_NamesTheToolsOption()
    {
        var missing = Path.Combine(Certificates.Folder, "missing-ca.crt");

        var (exitCode, _, line) = await FailAsync("list", ["--etcd-ca", missing, .. ClientCertificateArguments, .. UserArguments()]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"sdkit: error: --etcd: Invalid etcd options: --etcd-ca '{missing}' does not exist.", line);
    }

    private RegistryTool Tool(string timeout, string[] connection) => RegistryTool.Etcd(etcd.Endpoints) with { Timeout = timeout, Connection = connection };

    /// <summary>Runs a command expected to fail; returns its exit code, how long it took and its one error line.</summary>
    private async Task<(int ExitCode, double Seconds, string Line)> FailAsync(string command, string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, output, error) = await Tool($"{FailureTimeoutSeconds}s", []).RunAsync(command, arguments);
        clock.Stop();
        Assert.Empty(output);
        return (exitCode, clock.Elapsed.TotalSeconds, ToolAssert.OneLineError(error));
    }
}

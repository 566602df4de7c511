using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace SdKit.Testing.Peers.GoSeed;

/// <summary>
/// The seed's Go server and client (the sources in <c>Peers/GoSeed/src</c>), built once per test run with Debian's
/// golang-go and golang-github-samuel-go-zookeeper-dev in GOPATH mode, offline. The binaries are cached under
/// <c>artifacts/go-seed/&lt;hash of the sources&gt;/</c>, so a changed source is rebuilt and an unchanged one is not.
/// </summary>
public static class GoSeedPrograms
{
    /// <summary>Where Debian installs the Go sources of its golang-*-dev packages.</summary>
    public const string DebianGoCode = "/usr/share/gocode";

    private const string InstallHint = "Install Go and the seed's ZooKeeper library with scripts/install-backends.sh (apt-get install golang-go golang-github-samuel-go-zookeeper-dev).";
    private static readonly Lazy<Task<GoSeedBinaries>> s_build = new(BuildAsync);

    /// <summary>Gets the folder holding the seed's Go sources (a GOPATH <c>src</c> tree: example, server, client).</summary>
    public static string SourceFolder => Path.Combine(RepositoryRoot.Path, "tests", "SdKit.Testing", "Peers", "GoSeed", "src");

    /// <summary>Returns the built programs, building them on the first call of the test run.</summary>
    /// <exception cref="InvalidOperationException">Go or the ZooKeeper library is missing, or the build failed.</exception>
    public static Task<GoSeedBinaries> GetAsync() => s_build.Value;

    private static async Task<GoSeedBinaries> BuildAsync()
    {
        var go = FindGo() ?? throw new InvalidOperationException($"The Go compiler ('go') is not installed, so the seed's Go programs cannot be built. {InstallHint}");
        var library = Path.Combine(DebianGoCode, "src", "github.com", "samuel", "go-zookeeper", "zk");
        if (!Directory.Exists(library))
        {
            throw new InvalidOperationException($"The seed's ZooKeeper library is not at {library}. {InstallHint}");
        }

        var output = Path.Combine(RepositoryRoot.Path, "artifacts", "go-seed", SourceHash());
        var binaries = new GoSeedBinaries(Path.Combine(output, "server"), Path.Combine(output, "client"));
        if (File.Exists(binaries.Server) && File.Exists(binaries.Client))
        {
            return binaries;
        }

        Directory.CreateDirectory(output);
        var work = Path.Combine(Path.GetTempPath(), $"sdkit-go-seed-{Guid.NewGuid():N}");
        try
        {
            CopyTree(SourceFolder, Path.Combine(work, "src"));
            foreach (var (package, target) in new[] { ("server", binaries.Server), ("client", binaries.Client) })
            {
                // Built beside the target and moved into place, so a parallel test run never sees half a binary.
                var partial = $"{target}.{Guid.NewGuid():N}.partial";
                await RunGoAsync(go, work, ["build", "-o", partial, package]).ConfigureAwait(false);
                File.Move(partial, target, overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return binaries;
    }

    private static async Task RunGoAsync(string go, string work, string[] arguments)
    {
        var info = new ProcessStartInfo(go) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // GOPATH mode, no network: the seed's import "github.com/samuel/go-zookeeper/zk" resolves to Debian's copy.
        info.Environment["GO111MODULE"] = "off";
        info.Environment["GOPATH"] = $"{work}:{DebianGoCode}";
        info.Environment["GOCACHE"] = Path.Combine(work, "cache");
        info.Environment["GOFLAGS"] = string.Empty;
        info.Environment["GOPROXY"] = "off";
        info.Environment["CGO_ENABLED"] = "0";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{go}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'go {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)} {InstallHint}");
        }
    }

    private static string? FindGo()
        => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/lib/go/bin")
            .Select(folder => Path.Combine(folder, "go"))
            .FirstOrDefault(File.Exists);

    private static string SourceHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(SourceFolder, "*.go", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(SourceFolder, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*.go", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>The paths of the built seed programs.</summary>
/// <param name="Server">The seed's server: three time servers on 127.0.0.1:8897-8899, registered under <c>/go_servers</c>.</param>
/// <param name="Client">The seed's client: 100 calls, one second apart, to a random server of <c>/go_servers</c>.</param>
public sealed record GoSeedBinaries(string Server, string Client);

using SdKit.Testing.Network;
using SdKit.Testing.Processes;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>Starts <c>SdKit.Hosting.TestBackend</c> processes: Kestrel on a free loopback port, registered on a real ZooKeeper.</summary>
internal static class TestBackends
{
    /// <summary>Starts one backend of <paramref name="service"/>; <paramref name="settings"/> are more <c>--key value</c> pairs.</summary>
    public static ServerProcess Start(string connectString, string service, out string address, params string[] settings)
    {
        address = $"http://127.0.0.1:{FreePort.Next()}";
        var log = Path.Combine(Path.GetTempPath(), $"sdkit-backend-{Guid.NewGuid():N}.log");
        return ServerProcess.Start(
            "dotnet",
            [
                Path.Combine(AppContext.BaseDirectory, "SdKit.Hosting.TestBackend.dll"),
                "--urls", address,
                "--Service", service,
                "--SdKit:ZooKeeper:ConnectString", connectString,
                "--SessionTimeoutSeconds", "10",
                .. settings,
            ],
            log,
            AppContext.BaseDirectory);
    }
}

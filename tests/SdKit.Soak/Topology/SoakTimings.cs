using SdKit.Client;
using SdKit.Instances;
using SdKit.Registration;

namespace SdKit.Soak.Topology;

/// <summary>
/// Retry settings of the registrars and instancers under soak. The defaults back off to 10 s, longer than the
/// convergence bound (session or TTL + 2 s) itself; an application with a short bound would cap its backoff as well.
/// </summary>
internal static class SoakTimings
{
    public static BackoffOptions Backoff() => new() { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };

    public static RegistrarOptions Registrar() => new() { Backoff = Backoff(), DeregisterOnDisposeTimeout = TimeSpan.FromSeconds(5) };

    public static InstancerOptions Instancer() => new() { Backoff = Backoff() };
}

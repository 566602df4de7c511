namespace SdKit.Hosting.Registration;

/// <summary>
/// Computes the instance string when the application has started, for instances only known then (a server
/// listening on port 0).
/// </summary>
internal sealed class RegistrationInstanceSource(Func<IServiceProvider, string> resolve)
{
    /// <summary>Returns the instance string.</summary>
    public string Resolve(IServiceProvider services) => resolve(services);
}

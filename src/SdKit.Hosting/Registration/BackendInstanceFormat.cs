namespace SdKit.Hosting.Registration;

/// <summary>The instance format of the backend's registry, as the backend's options name it (see <c>UseInstanceFormat</c>).</summary>
internal sealed class BackendInstanceFormat(Func<IServiceProvider, string> resolve)
{
    /// <summary>Returns the format name.</summary>
    public string Resolve(IServiceProvider services) => resolve(services);
}

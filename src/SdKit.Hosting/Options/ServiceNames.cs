namespace SdKit.Hosting.Options;

/// <summary>Turns the service names applications use (<c>hello</c>) into service paths (<c>/services/hello</c>).</summary>
internal static class ServiceNames
{
    /// <summary>
    /// Returns the service path of <paramref name="service"/>: a name is placed under
    /// <paramref name="servicesPath"/>, a value starting with <c>/</c> is already a path.
    /// </summary>
    /// <param name="servicesPath">The path services live under, for example <c>/services</c>.</param>
    /// <param name="service">A service name or a full service path.</param>
    /// <returns>The service path.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> is empty or is a name holding <c>/</c>.</exception>
    public static string ToPath(string servicesPath, string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(servicesPath);
        ArgumentException.ThrowIfNullOrEmpty(service);
        if (service.StartsWith('/'))
        {
            return service;
        }

        if (service.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The service name '{service}' must not contain '/' (give a full path starting with '/' instead).", nameof(service));
        }

        return servicesPath.EndsWith('/') ? servicesPath + service : servicesPath + "/" + service;
    }
}

namespace SdKit.Client;

/// <summary>Checks service paths before they reach a backend, so bad input fails early and names itself.</summary>
/// <remarks>
/// One trailing <c>/</c> is accepted and dropped: <c>services/</c> (the seed's etcd prefix) and <c>/go_servers/</c>
/// name the same services as <c>services</c> and <c>/go_servers</c>, and a watch still covers exactly the entries
/// directly below the path. The root alone and empty segments (<c>//</c> anywhere, also at the end) stay ambiguous
/// and are refused.
/// </remarks>
public static class ServicePaths
{
    /// <summary>Throws when <paramref name="servicePath"/> cannot name a service on any backend.</summary>
    /// <param name="servicePath">The path to check.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentException">The path is empty, is the root, or holds an empty segment.</exception>
    public static void Validate(string servicePath, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(servicePath))] string? paramName = null)
        => _ = Normalize(servicePath, paramName);

    /// <summary>Checks <paramref name="servicePath"/> and returns it without its one trailing <c>/</c>, if it has one.</summary>
    /// <param name="servicePath">The path to check.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <returns>The path every backend stores and watches: <c>services/</c> becomes <c>services</c>.</returns>
    /// <exception cref="ArgumentException">The path is empty, is the root, or holds an empty segment.</exception>
    public static string Normalize(string servicePath, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(servicePath))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(servicePath, paramName);
        if (servicePath == "/")
        {
            throw new ArgumentException("The service path must name a service, not the root '/'.", paramName);
        }

        if (servicePath.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The service path '{servicePath}' holds an empty segment ('//').", paramName);
        }

        return servicePath.EndsWith('/') ? servicePath[..^1] : servicePath;
    }
}

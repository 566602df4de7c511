namespace SdKit.Client;

/// <summary>Checks service paths before they reach a backend, so bad input fails early and names itself.</summary>
public static class ServicePaths
{
    /// <summary>Throws when <paramref name="servicePath"/> cannot name a service on any backend.</summary>
    /// <param name="servicePath">The path to check.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentException">The path is empty, ends with <c>/</c>, or holds an empty segment.</exception>
    public static void Validate(string servicePath, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(servicePath))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(servicePath, paramName);
        if (servicePath == "/")
        {
            throw new ArgumentException("The service path must name a service, not the root '/'.", paramName);
        }

        if (servicePath.EndsWith('/'))
        {
            throw new ArgumentException($"The service path '{servicePath}' must not end with '/'.", paramName);
        }

        if (servicePath.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The service path '{servicePath}' holds an empty segment ('//').", paramName);
        }
    }
}

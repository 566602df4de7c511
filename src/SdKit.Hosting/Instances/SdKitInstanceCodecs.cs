using Microsoft.Extensions.DependencyInjection;
using SdKit.Hosting.Registration;
using SdKit.Instances.Codecs;

namespace SdKit.Hosting.Instances;

/// <summary>
/// The codec every reader of the application's registry uses (the HttpClient provider, gRPC's resolver, YARP's
/// destinations): the one of the backend's instance format, as the backend named it with <c>UseInstanceFormat</c>.
/// </summary>
public static class SdKitInstanceCodecs
{
    /// <summary>Returns the codec of the backend's instance format for <paramref name="servicePath"/>; the plain strings when none is named.</summary>
    /// <param name="services">The application's service provider.</param>
    /// <param name="servicePath">The service path (Curator's codec writes its last segment as the service name).</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The backend names a format that does not exist.</exception>
    public static IInstanceCodec GetSdKitInstanceCodec(this IServiceProvider services, string servicePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(servicePath);
        return services.GetServices<BackendInstanceFormat>().LastOrDefault() is { } format
            ? InstanceFormats.CreateCodec(format.Resolve(services), servicePath)
            : PlainInstanceCodec.Instance;
    }
}

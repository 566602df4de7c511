using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SdKit.Etcd;
using SdKit.Hosting;
using SdKit.Hosting.Backends;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The etcd backend on the SdKit host builder; it comes with the backend's package, so Hosting knows no backend.</summary>
public static class EtcdSdKitBuilderExtensions
{
    /// <summary>The configuration key of the endpoints (comma-separated URLs).</summary>
    public const string EndpointsKey = "SdKit:Etcd:Endpoints";

    /// <summary>
    /// Uses etcd: endpoints are read from <c>SdKit:Etcd:Endpoints</c> (comma-separated URLs), then
    /// <paramref name="configure"/> may change any option (lease TTL, credentials, TLS files). The client connects
    /// in the background: the application starts while etcd is unreachable, and the health check reports it.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="configure">Sets the endpoints, lease and security options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddEtcd(this ISdKitBuilder builder, Action<EtcdDiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddDiscoveryClient(provider =>
        {
            var options = new EtcdDiscoveryOptions();
            if (provider.GetService<IConfiguration>()?[EndpointsKey] is { Length: > 0 } endpoints)
            {
                foreach (var endpoint in endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    options.Endpoints.Add(endpoint);
                }
            }

            configure?.Invoke(options);
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var time = provider.GetRequiredService<TimeProvider>();
            return BackgroundConnection.Start(
                provider,
                $"etcd {string.Join(',', options.Endpoints)}",
                async token => await EtcdDiscoveryClient.ConnectAsync(options, loggers, time, token).ConfigureAwait(false));
        });
    }
}

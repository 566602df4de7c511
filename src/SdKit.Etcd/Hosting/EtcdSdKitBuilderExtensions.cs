using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdKit.Etcd;
using SdKit.Hosting;
using SdKit.Hosting.Backends;
using SdKit.Etcd.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The etcd backend on the SdKit host builder; it comes with the backend's package, so Hosting knows no backend.</summary>
public static class EtcdSdKitBuilderExtensions
{
    /// <summary>
    /// Uses etcd: endpoints are read from <c>SdKit:Etcd:Endpoints</c> (comma-separated URLs), then
    /// <paramref name="configure"/> may change any option (lease TTL, credentials, TLS files). The client connects
    /// in the background: the application starts while etcd is unreachable, and the health check reports it. Settings that can never work (an empty or malformed connect string) fail the options
    /// validation when the host starts, naming the setting and its value.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="configure">Sets the endpoints, lease and security options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddEtcd(this ISdKitBuilder builder, Action<EtcdDiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EtcdDiscoveryOptions>()
            .Configure<IServiceProvider>((options, provider) =>
            {
                if (provider.GetService<IConfiguration>()?[EtcdOptionsValidator.EndpointsKey] is { } endpoints)
                {
                    foreach (var endpoint in endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        options.Endpoints.Add(endpoint);
                    }
                }

                configure?.Invoke(options);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EtcdDiscoveryOptions>, EtcdOptionsValidator>());
        return builder.AddDiscoveryClient(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value;
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var time = provider.GetRequiredService<TimeProvider>();
            return BackgroundConnection.Start(
                provider,
                $"etcd {string.Join(',', options.Endpoints)}",
                async token => await EtcdDiscoveryClient.ConnectAsync(options, loggers, time, token).ConfigureAwait(false));
        });
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdKit.Etcd;
using SdKit.Hosting;
using SdKit.Hosting.Backends;
using SdKit.ZooKeeper.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The ZooKeeper and etcd backends.</summary>
public static partial class SdKitBuilderExtensions
{
    /// <summary>
    /// Uses ZooKeeper: the connect string is read from <c>SdKit:ZooKeeper:ConnectString</c>
    /// (<c>host:port[,host:port...][/chroot]</c>), then <paramref name="configure"/> may change any option. The
    /// client connects in the background: the application starts while ZooKeeper is unreachable, and the health
    /// check reports it. Settings that can never work (an empty or malformed connect string) fail the options
    /// validation when the host starts, naming the setting and its value.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="configure">Sets the connection, layout and ACL options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddZooKeeper(this ISdKitBuilder builder, Action<ZooKeeperDiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ZooKeeperDiscoveryOptions>()
            .Configure<IServiceProvider>((options, provider) =>
            {
                if (provider.GetService<IConfiguration>()?[ZooKeeperOptionsValidator.ConnectStringKey] is { } connectString)
                {
                    options.Connection.ConnectString = connectString;
                }

                configure?.Invoke(options);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZooKeeperDiscoveryOptions>, ZooKeeperOptionsValidator>());
        return builder.AddDiscoveryClient(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value;
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            return new ConnectingDiscoveryClient(
                $"ZooKeeper {options.Connection.ConnectString}",
                async token => await ZooKeeperDiscoveryClient.ConnectAsync(options, loggers, token).ConfigureAwait(false),
                provider.GetRequiredService<TimeProvider>(),
                loggers.CreateLogger<ConnectingDiscoveryClient>());
        });
    }

    /// <summary>
    /// Uses etcd: endpoints are read from <c>SdKit:Etcd:Endpoints</c> (comma-separated URLs), then
    /// <paramref name="configure"/> may change any option (lease TTL, credentials, TLS files). The client connects
    /// in the background: the application starts while etcd is unreachable, and the health check reports it.
    /// Settings that can never work (no endpoint, a malformed URL) fail the options validation when the host starts,
    /// naming the setting and its value.
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
            return new ConnectingDiscoveryClient(
                $"etcd {string.Join(',', options.Endpoints)}",
                async token => await EtcdDiscoveryClient.ConnectAsync(options, loggers, time, token).ConfigureAwait(false),
                time,
                loggers.CreateLogger<ConnectingDiscoveryClient>());
        });
    }
}

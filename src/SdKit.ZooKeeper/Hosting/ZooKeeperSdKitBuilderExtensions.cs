using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdKit.Hosting;
using SdKit.Hosting.Backends;
using SdKit.ZooKeeper.Hosting;
using SdKit.ZooKeeper.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The ZooKeeper backend on the SdKit host builder; it comes with the backend's package, so Hosting knows no backend.</summary>
public static class ZooKeeperSdKitBuilderExtensions
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
            return BackgroundConnection.Start(
                provider,
                $"ZooKeeper {options.Connection.ConnectString}",
                async token => await ZooKeeperDiscoveryClient.ConnectAsync(options, loggers, token).ConfigureAwait(false));
        });
    }
}

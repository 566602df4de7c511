using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SdKit.Hosting;
using SdKit.Hosting.Backends;
using SdKit.ZooKeeper.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The ZooKeeper backend on the SdKit host builder; it comes with the backend's package, so Hosting knows no backend.</summary>
public static class ZooKeeperSdKitBuilderExtensions
{
    /// <summary>The configuration key of the connect string.</summary>
    public const string ConnectStringKey = "SdKit:ZooKeeper:ConnectString";

    /// <summary>
    /// Uses ZooKeeper: the connect string is read from <c>SdKit:ZooKeeper:ConnectString</c>
    /// (<c>host:port[,host:port...][/chroot]</c>), then <paramref name="configure"/> may change any option. The
    /// client connects in the background: the application starts while ZooKeeper is unreachable, and the health
    /// check reports it.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="configure">Sets the connection, layout and ACL options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddZooKeeper(this ISdKitBuilder builder, Action<ZooKeeperDiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddDiscoveryClient(provider =>
        {
            var options = new ZooKeeperDiscoveryOptions();
            if (provider.GetService<IConfiguration>()?[ConnectStringKey] is { Length: > 0 } connectString)
            {
                options.Connection.ConnectString = connectString;
            }

            configure?.Invoke(options);
            options.Validate();
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            return BackgroundConnection.Start(
                provider,
                $"ZooKeeper {options.Connection.ConnectString}",
                async token => await ZooKeeperDiscoveryClient.ConnectAsync(options, loggers, token).ConfigureAwait(false));
        });
    }
}

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
    /// Uses ZooKeeper: the options are read from the section <c>SdKit:ZooKeeper</c> (<c>ConnectString</c> as
    /// <c>host:port[,host:port...][/chroot]</c>, <c>SessionTimeout</c>, <c>ConnectTimeout</c>, <c>MaxFrameSize</c>,
    /// <c>MaxRequestSize</c>, <c>CanBeReadOnly</c>, <c>ReconnectAfterExpiry</c>, <c>Layout</c>, <c>InstanceFormat</c>
    /// (<c>curator</c> alone also selects the Curator layout), <c>WatchMode</c>,
    /// <c>Attempts</c>, <c>ReadBatchSize</c>, <c>Digest:User</c>/<c>Digest:Password</c>/<c>Digest:OwnNodes</c>,
    /// <c>NodeAcl</c>/<c>ParentAcl</c> entries of <c>Scheme</c>, <c>Id</c> and <c>Permissions</c>, and
    /// <c>ParentData</c> by depth), then <paramref name="configure"/> may change any option. The client connects in
    /// the background: the application starts while ZooKeeper is unreachable, and the health check reports it.
    /// Settings that can never work (an unknown key, a value that does not convert, an empty or malformed connect
    /// string, an out-of-range timeout) fail the host's start, naming the setting and its value.
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
                if (provider.GetService<IConfiguration>()?.GetSection(ZooKeeperConfiguration.SectionName) is { } section)
                {
                    ZooKeeperConfiguration.Apply(section, options);
                }

                configure?.Invoke(options);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZooKeeperDiscoveryOptions>, ZooKeeperOptionsValidator>());
        builder.AddDiscoveryClient(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value;
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            return BackgroundConnection.Start(
                provider,
                $"ZooKeeper {options.Connection.ConnectString}",
                async token => await ZooKeeperDiscoveryClient.ConnectAsync(options, loggers, token).ConfigureAwait(false));
        });
        return builder.UseInstanceFormat(provider => provider.GetRequiredService<IOptions<ZooKeeperDiscoveryOptions>>().Value.InstanceFormat);
    }
}

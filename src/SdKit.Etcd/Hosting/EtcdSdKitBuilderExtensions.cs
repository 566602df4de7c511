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
    /// Uses etcd: the options are read from the section <c>SdKit:Etcd</c> (<c>Endpoints</c> as comma-separated URLs
    /// or a list, <c>LeaseTtl</c>, <c>KeepAliveInterval</c>, <c>RequestTimeout</c>, <c>MaxRetryDelay</c>,
    /// <c>WatchResumeAttempts</c>, <c>Username</c>, <c>Password</c>, <c>TrustedCaFile</c>,
    /// <c>ClientCertificateFile</c>, <c>ClientKeyFile</c>, <c>InstanceFormat</c>), then <paramref name="configure"/> may change any option.
    /// The client connects in the background: the application starts while etcd is unreachable, and the health check
    /// reports it. Settings that can never work (an unknown key, a value that does not convert, no or a malformed
    /// endpoint, a TTL that is not whole seconds, half of a credential pair, a TLS file that does not exist) fail the
    /// host's start, naming the setting and its value.
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
                if (provider.GetService<IConfiguration>()?.GetSection(EtcdConfiguration.SectionName) is { } section)
                {
                    EtcdConfiguration.Apply(section, options);
                }

                configure?.Invoke(options);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EtcdDiscoveryOptions>, EtcdOptionsValidator>());
        builder.AddDiscoveryClient(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value;
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var time = provider.GetRequiredService<TimeProvider>();
            return BackgroundConnection.Start(
                provider,
                $"etcd {string.Join(',', options.Endpoints)}",
                async token => await EtcdDiscoveryClient.ConnectAsync(options, loggers, time, token).ConfigureAwait(false));
        });
        return builder.UseInstanceFormat(provider => provider.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value.InstanceFormat);
    }
}

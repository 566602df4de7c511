using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdKit.Hosting.Instances;
using SdKit.Hosting.Options;
using SdKit.Instances;
using SdKit.Yarp;
using SdKit.Yarp.Destinations;
using SdKit.Yarp.Health;
using SdKit.Yarp.LoadBalancing;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes YARP's cluster destinations follow SdKit's instancers.</summary>
public static class SdKitReverseProxyBuilderExtensions
{
    /// <summary>
    /// The passive health policy <see cref="AddSdKitDestinations"/> adds, for a cluster's
    /// <c>HealthCheck:Passive:Policy</c>: a destination that refuses a connection is left out at once for the cluster's
    /// <c>ReactivationPeriod</c> (10 s unless set), so a crashed instance stops costing requests long before the registry
    /// drops it. YARP's own <c>TransportFailureRate</c> waits for a failure rate over a window first.
    /// </summary>
    public const string ConnectionFailureHealthPolicy = ConnectionFailurePolicy.PolicyName;

    /// <summary>
    /// The load-balancing policy <see cref="AddSdKitDestinations"/> adds, for a cluster's <c>LoadBalancingPolicy</c>:
    /// Envoy's zone-aware routing (the rule of <c>Balancers.ZoneAware</c>) over the cluster's available destinations,
    /// by the <c>sdkit.zone</c> and <c>sdkit.weight</c> metadata of each, from the zone set in
    /// <see cref="SdKitYarpOptions.ZoneAware"/>: requests stay in that zone while it holds its callers' share of the
    /// capacity, and spill to the zones with residual capacity otherwise.
    /// </summary>
    public const string ZoneAwareLoadBalancingPolicy = ZoneAwarePolicy.PolicyName;

    /// <summary>
    /// Resolves every cluster destination whose address is <c>sdkit:///{service}</c> to the live instances of the
    /// service (the application's shared instancer, watched at <c>{SdKit:ServicesPath}/{service}</c>), one destination
    /// per instance, with the configured metadata plus <c>sdkit.instance</c> and <c>sdkit.service</c>, and registers the
    /// <see cref="ConnectionFailureHealthPolicy"/> passive health policy and the <see cref="ZoneAwareLoadBalancingPolicy"/>
    /// load-balancing policy. When the set
    /// changes YARP resolves again at once: an instance that leaves gets no more requests. Needs
    /// <c>services.AddSdKit()</c> with a backend. It replaces any other destination resolver (YARP has one).
    /// </summary>
    /// <param name="builder">YARP's builder (<c>services.AddReverseProxy()</c>).</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IReverseProxyBuilder AddSdKitDestinations(this IReverseProxyBuilder builder, Action<SdKitYarpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SdKitYarpOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConnectionFailurePolicy>();
        builder.Services.AddSingleton<ILoadBalancingPolicy, ZoneAwarePolicy>();
        builder.Services.AddSingleton<IDestinationResolver>(provider =>
        {
            var sdkit = provider.GetService<IOptions<SdKitOptions>>() ?? throw new InvalidOperationException(
                "sdkit:/// destinations need SdKit: call services.AddSdKit() with a backend (AddZooKeeper, AddEtcd or AddInMemory) as well as AddSdKitDestinations().");
            return new SdKitDestinationResolver(
                service =>
                {
                    var path = PathOf(sdkit.Value.ServicesPath, service);
                    return (provider.GetRequiredKeyedService<IInstancer>(service), path, provider.GetSdKitInstanceCodec(path));
                },
                provider.GetRequiredService<IOptions<SdKitYarpOptions>>(),
                provider.GetRequiredService<ILogger<SdKitDestinationResolver>>());
        });
        return builder;
    }

    /// <summary>The path Hosting watches for <paramref name="service"/> (named in errors): a name under the services path, or a path as it is.</summary>
    private static string PathOf(string servicesPath, string service)
        => service.StartsWith('/') ? service : servicesPath.TrimEnd('/') + "/" + service;
}

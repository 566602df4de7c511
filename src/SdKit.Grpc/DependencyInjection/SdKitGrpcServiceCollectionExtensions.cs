using Grpc.Net.Client.Balancer;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SdKit.Grpc;
using SdKit.Grpc.Balancing;
using SdKit.Grpc.Resolution;
using SdKit.Hosting.Instances;
using SdKit.Hosting.Options;
using SdKit.Instances;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SdKit's gRPC resolver and load balancers to an application's services.</summary>
public static class SdKitGrpcServiceCollectionExtensions
{
    /// <summary>The configuration section <see cref="SdKitGrpcOptions"/> are bound from.</summary>
    public const string SectionName = "SdKit:Grpc";

    /// <summary>
    /// Lets gRPC channels call <c>sdkit:///{service}</c>: the resolver (fed by the application's shared instancer of
    /// the service, the one <c>[FromKeyedServices("greeter")] IInstancer</c> and <c>http://greeter</c> use, watched at
    /// <c>{SdKit:ServicesPath}/greeter</c>) and SdKit's load balancers, least outstanding by default. Channels of the
    /// gRPC client factory (<c>AddGrpcClient</c>) find them by themselves; a channel made with
    /// <c>GrpcChannel.ForAddress</c> finds them through <c>GrpcChannelOptions.ServiceProvider</c>. Needs
    /// <c>services.AddSdKit()</c> with a backend.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the options after <c>SdKit:Grpc</c> is bound.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddSdKitGrpc(this IServiceCollection services, Action<SdKitGrpcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SdKitGrpcOptions>();
        options.Configure<IServiceProvider>((o, provider) => provider.GetService<IConfiguration>()?.GetSection(SectionName).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory, SdKitResolverFactory>(provider =>
        {
            var sdkit = provider.GetService<IOptions<SdKitOptions>>() ?? throw new InvalidOperationException(
                "sdkit:/// addresses need SdKit: call services.AddSdKit() with a backend (AddZooKeeper, AddEtcd or AddInMemory) as well as AddSdKitGrpc().");
            return new SdKitResolverFactory(
                service =>
                {
                    var path = PathOf(sdkit.Value.ServicesPath, service);
                    return new ResolvedService(provider.GetRequiredKeyedService<IInstancer>(service), path, provider.GetSdKitInstanceCodec(path));
                },
                provider.GetRequiredService<IOptions<SdKitGrpcOptions>>().Value,
                provider.GetRequiredService<TimeProvider>());
        }));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<LoadBalancerFactory, LeastOutstandingBalancerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<LoadBalancerFactory, SdKitRoundRobinBalancerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<LoadBalancerFactory, SdKitWeightedRoundRobinBalancerFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<LoadBalancerFactory, SdKitZoneAwareBalancerFactory>(
            provider => SdKitZoneAwareBalancerFactory.Deferred(provider.GetRequiredService<IOptions<SdKitGrpcOptions>>().Value.ZoneAware)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<GrpcClientFactoryOptions>, SdKitGrpcClientCredentials>());
        return services;
    }

    /// <summary>The path Hosting watches for <paramref name="service"/> (named in errors): a name under the services path, or a path as it is.</summary>
    private static string PathOf(string servicesPath, string service)
        => service.StartsWith('/') ? service : servicesPath.TrimEnd('/') + "/" + service;
}

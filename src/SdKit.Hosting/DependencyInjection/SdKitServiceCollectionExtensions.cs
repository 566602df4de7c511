using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Client;
using SdKit.Hosting;
using SdKit.Hosting.Instances;
using SdKit.Hosting.Options;
using SdKit.Hosting.Registration;
using SdKit.Hosting.ServiceDiscovery;
using SdKit.Instances;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SdKit to an application's services.</summary>
public static class SdKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds SdKit: options bound from the configuration section <c>SdKit</c> and validated when the host starts,
    /// the hosted registrar (when <c>SdKit:Registration</c> is set), instancers resolvable by service name
    /// (<c>[FromKeyedServices("hello")] IInstancer</c>) and the HttpClient service-discovery provider that
    /// resolves <c>http://hello</c>. Choose the backend on the returned builder.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <returns>A builder to choose the backend with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddSdKit(this IServiceCollection services, Action<SdKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddSdKitCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new SdKitBuilder(services);
    }

    private static void AddSdKitCore(IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(InstancerCache)))
        {
            return;
        }

        services.AddOptions<SdKitOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<SdKitOptions>>(provider => new ConfigureNamedOptions<SdKitOptions>(
            Options.Options.DefaultName,
            options => provider.GetService<IConfiguration>()?.GetSection(SdKitOptions.SectionName).Bind(options)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SdKitOptions>, SdKitOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CoreComponents>();
        services.TryAddSingleton<IDiscoveryClient>(_ => throw new InvalidOperationException(
            "SdKit has no backend: call AddInMemory(), AddZooKeeper(...) or AddEtcd(...) on the builder returned by services.AddSdKit()."));
        services.TryAddSingleton<InstancerCache>();
        services.AddKeyedSingleton<IInstancer>(KeyedService.AnyKey, (provider, key) =>
            provider.GetRequiredService<InstancerCache>().Get(ServicePathOf(provider, key)));
        services.TryAddSingleton<RegistrationHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<RegistrationHostedService>());
        services.AddServiceDiscoveryCore();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceEndpointProviderFactory, SdKitServiceEndpointProviderFactory>());
        services.AddOptions<EndpointQuarantineOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<EndpointQuarantineOptions>>(provider => new ConfigureNamedOptions<EndpointQuarantineOptions>(
            Options.Options.DefaultName,
            options => provider.GetService<IConfiguration>()?.GetSection(EndpointQuarantineOptions.SectionName).Bind(options)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SdKitOptions>, ServiceDiscoveryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EndpointQuarantineOptions>, ServiceDiscoveryOptionsValidator>());
        services.TryAddSingleton<EndpointQuarantine>();
    }

    /// <summary>Reads a DI key (a service name or path) as a service path.</summary>
    internal static string ServicePathOf(IServiceProvider provider, object? key)
    {
        if (key is not string service || service.Length == 0)
        {
            throw new ArgumentException($"SdKit services are keyed by a service name or path (a non-empty string), not '{key}'.", nameof(key));
        }

        return ServiceNames.ToPath(provider.GetRequiredService<IOptions<SdKitOptions>>().Value.ServicesPath, service);
    }
}

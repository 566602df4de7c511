using Microsoft.Extensions.DependencyInjection.Extensions;
using SdKit.Client;
using SdKit.Hosting;
using SdKit.Hosting.Options;
using SdKit.Hosting.Registration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses SdKit's backend and registration on an <see cref="ISdKitBuilder"/>.</summary>
public static partial class SdKitBuilderExtensions
{
    /// <summary>
    /// Uses the discovery client made by <paramref name="factory"/> as the backend (replacing any chosen before, and the
    /// instance format it named with <see cref="UseInstanceFormat"/>). The container owns and disposes it.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="factory">Makes the client.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddDiscoveryClient(this ISdKitBuilder builder, Func<IServiceProvider, IDiscoveryClient> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        builder.Services.RemoveAll<BackendInstanceFormat>();
        return builder;
    }

    /// <summary>
    /// Names the instance format of the backend's registry (backends call it from their <c>Add...</c> method, after
    /// <see cref="AddDiscoveryClient"/>, with the format of their options): the hosted registration writes its entry in
    /// it unless <c>SdKit:Registration:Format</c> says otherwise. The last call wins; choosing another backend forgets it.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="format">Returns the format name (see <see cref="SdKit.Instances.Codecs.InstanceFormats"/>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ISdKitBuilder UseInstanceFormat(this ISdKitBuilder builder, Func<IServiceProvider, string> format)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(format);
        builder.Services.AddSingleton(new BackendInstanceFormat(format));
        return builder;
    }

    /// <summary>
    /// Registers this application as <paramref name="instance"/> of <paramref name="service"/> once it has
    /// started, and deregisters it first when it stops (same as the <c>SdKit:Registration</c> settings).
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="service">A service name (<c>hello</c>) or a full service path (<c>/services/hello</c>).</param>
    /// <param name="instance">The instance string watchers see, for example <c>http://127.0.0.1:8080</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="service"/> or <paramref name="instance"/> is empty.</exception>
    public static ISdKitBuilder AddRegistration(this ISdKitBuilder builder, string service, string instance)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        builder.Services.Configure<SdKitOptions>(options =>
        {
            options.Registration ??= new SdKitRegistrationOptions();
            options.Registration.Service = service;
            options.Registration.Instance = instance;
        });
        return builder;
    }

    /// <summary>
    /// Registers this application under <paramref name="service"/> once it has started, with an instance string
    /// computed at that moment (for example from the addresses a server listening on port 0 was given), and
    /// deregisters it first when it stops.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="service">A service name (<c>hello</c>) or a full service path (<c>/services/hello</c>).</param>
    /// <param name="instance">Computes the instance string once the application has started.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="instance"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="service"/> is empty.</exception>
    public static ISdKitBuilder AddRegistration(this ISdKitBuilder builder, string service, Func<IServiceProvider, string> instance)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(instance);
        builder.Services.AddSingleton(new RegistrationInstanceSource(instance));
        builder.Services.Configure<SdKitOptions>(options =>
        {
            options.Registration ??= new SdKitRegistrationOptions();
            options.Registration.Service = service;
        });
        return builder;
    }
}

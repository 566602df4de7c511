using Microsoft.Extensions.Logging;
using SdKit.Endpoints;
using SdKit.Hosting;
using SdKit.Instances;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Endpointers resolvable by service name.</summary>
public static partial class SdKitBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="IEndpointer{T}"/> resolvable by service name or path
    /// (<c>[FromKeyedServices("hello")] IEndpointer&lt;T&gt;</c>): one endpointer per service, over the shared
    /// instancer, building endpoints with <paramref name="factory"/>. The container disposes it and its endpoints.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="factory">Makes an endpoint (and an optional closer) from an instance string.</param>
    /// <param name="configure">Sets endpointer options such as <see cref="EndpointerOptions.InvalidateOnError"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddEndpointer<T>(this ISdKitBuilder builder, EndpointFactory<T> factory, Action<EndpointerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton<IEndpointer<T>>(KeyedService.AnyKey, (provider, key) =>
        {
            var options = new EndpointerOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() };
            configure?.Invoke(options);
            var instancer = provider.GetRequiredKeyedService<IInstancer>(key);
            return new Endpointer<T>(instancer, factory, options, provider.GetRequiredService<ILoggerFactory>().CreateLogger<Endpointer<T>>());
        });
        return builder;
    }
}

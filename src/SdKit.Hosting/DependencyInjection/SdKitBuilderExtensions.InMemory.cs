using Microsoft.Extensions.DependencyInjection.Extensions;
using SdKit.Hosting;
using SdKit.InMemory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The in-memory backend.</summary>
public static partial class SdKitBuilderExtensions
{
    /// <summary>
    /// Uses the in-memory backend: a client of <paramref name="registry"/>, or of one registry for the whole
    /// application when none is given. Share one registry between hosts to let them discover each other in a test.
    /// </summary>
    /// <param name="builder">The SdKit builder.</param>
    /// <param name="registry">The registry to join, or <see langword="null"/> for the application's own.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ISdKitBuilder AddInMemory(this ISdKitBuilder builder, InMemoryRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (registry is null)
        {
            builder.Services.TryAddSingleton<InMemoryRegistry>();
        }
        else
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(registry));
        }

        return builder.AddDiscoveryClient(provider => provider.GetRequiredService<InMemoryRegistry>().CreateClient());
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace SdKit.Hosting;

/// <summary>The one <see cref="ISdKitBuilder"/>.</summary>
internal sealed class SdKitBuilder(IServiceCollection services) : ISdKitBuilder
{
    /// <inheritdoc/>
    public IServiceCollection Services { get; } = services;
}

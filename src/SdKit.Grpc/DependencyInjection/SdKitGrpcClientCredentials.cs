using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Options;
using SdKit.Grpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Gives every gRPC client-factory channel to an <c>sdkit:///</c> address the credentials of
/// <see cref="SdKitGrpcOptions.ChannelCredentials"/> when its own <c>ConfigureChannel</c> set none.
/// </summary>
internal sealed class SdKitGrpcClientCredentials(IOptions<SdKitGrpcOptions> grpcOptions) : IPostConfigureOptions<GrpcClientFactoryOptions>
{
    /// <inheritdoc/>
    public void PostConfigure(string? name, GrpcClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(options.Address?.Scheme, SdKitGrpcConstants.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Read when the channel is made, after every ConfigureChannel action: a channel's own credentials win.
        options.ChannelOptionsActions.Add(channel => channel.Credentials ??= grpcOptions.Value.ChannelCredentials);
    }
}

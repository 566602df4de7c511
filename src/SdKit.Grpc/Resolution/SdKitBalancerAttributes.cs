using Grpc.Net.Client.Balancer;
using SdKit.Instances;

namespace SdKit.Grpc.Resolution;

/// <summary>
/// The attributes SdKit puts on every <see cref="BalancerAddress"/> it resolves, for pickers, interceptors and logs.
/// </summary>
/// <remarks>
/// Today an instance is its registered string; when instances carry metadata, weight and zone, those become further
/// keys here, set in <see cref="InstanceAddresses"/>, the one place an instance becomes an address.
/// </remarks>
public static class SdKitBalancerAttributes
{
    /// <summary>The instance string as registered (<c>http://10.0.0.5:8080</c> or <c>10.0.0.5:8080</c>).</summary>
    public static readonly BalancerAttributesKey<string> Instance = new("sdkit.instance");

    /// <summary>The service name the address was resolved for (<c>greeter</c> in <c>sdkit:///greeter</c>).</summary>
    public static readonly BalancerAttributesKey<string> Service = new("sdkit.service");

    /// <summary>
    /// The key of the decoded instance behind the address (metadata, weight, zone, id), decoded in the backend's
    /// instance format; set whenever the string decodes.
    /// </summary>
    public static readonly BalancerAttributesKey<ServiceInstance> TypedInstance = new("sdkit.typed_instance");
}

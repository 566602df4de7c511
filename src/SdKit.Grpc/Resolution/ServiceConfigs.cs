using Grpc.Net.Client.Configuration;

namespace SdKit.Grpc.Resolution;

/// <summary>The service config a resolver returns: the chosen policy, configured with the service it balances.</summary>
internal static class ServiceConfigs
{
    /// <summary>Returns the config for <paramref name="policy"/>, or <see langword="null"/> to leave the choice to the channel.</summary>
    public static ServiceConfig? For(string? policy, string service, string servicePath)
    {
        if (string.IsNullOrEmpty(policy))
        {
            return null;
        }

        var config = new LoadBalancingConfig(policy);
        var label = servicePath == service ? $"'{service}'" : $"'{service}' ('{servicePath}')";
        if (config.Inner.TryGetValue(policy, out var inner) && inner is IDictionary<string, object> settings)
        {
            settings[SdKitGrpcPolicies.ServiceKey] = label;
        }

        return new ServiceConfig { LoadBalancingConfigs = { config } };
    }
}

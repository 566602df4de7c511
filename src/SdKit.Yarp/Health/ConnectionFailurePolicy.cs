using System.Net.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace SdKit.Yarp.Health;

/// <summary>
/// A YARP passive health policy that takes a destination out at its first refused connection, the YARP twin of the
/// HttpClient path's quarantine. YARP's own <c>TransportFailureRate</c> needs a failure rate over a window, so a
/// crashed instance keeps receiving a share of requests (each a 502) until enough of them have failed; a registered
/// instance that refuses connections has crashed or is stopping, and the registry will drop it within its session
/// timeout or lease TTL, so one refusal is enough evidence. The destination comes back after the cluster's
/// <c>ReactivationPeriod</c> (default <see cref="DefaultReactivationPeriod"/>), or leaves for good when the registry
/// drops it.
/// </summary>
internal sealed partial class ConnectionFailurePolicy(IDestinationHealthUpdater health, ILogger<ConnectionFailurePolicy> logger) : IPassiveHealthCheckPolicy
{
    /// <summary>The policy's name in a cluster's <c>HealthCheck:Passive:Policy</c>.</summary>
    public const string PolicyName = "SdKitConnectionFailure";

    /// <summary>How long a refusing destination is left out when the cluster sets no reactivation period.</summary>
    public static readonly TimeSpan DefaultReactivationPeriod = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || !IsRefusedConnection(error))
        {
            return;
        }

        var period = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivationPeriod;
        if (destination.Health.Passive != DestinationHealth.Unhealthy)
        {
            LogLeftOut(logger, destination.Model.Config.Address, cluster.ClusterId, period, error.Exception);
        }

        health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
    }

    /// <summary>The request never reached the destination: the connection could not be made.</summary>
    private static bool IsRefusedConnection(IForwarderErrorFeature error)
        => error.Error == ForwarderError.Request
            && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destination {Address} of cluster {ClusterId} refused a connection; it is not chosen for {Period} (or until the registry drops it).")]
    private static partial void LogLeftOut(ILogger logger, string address, string clusterId, TimeSpan period, Exception? exception);
}

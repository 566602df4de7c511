using Grpc.Core;

namespace SdKit.Etcd;

/// <summary>
/// Turns gRPC failures into <see cref="EtcdException"/>s whose message says what failed, where, and why. A passed
/// deadline has a <see cref="TimeoutException"/> inside (around the gRPC failure), so callers can tell "no answer in
/// time" from the other transient failures without knowing gRPC.
/// </summary>
internal static class EtcdErrors
{
    public static EtcdException From(RpcException ex, string operation, string subject, EtcdConnection connection)
    {
        var detail = string.IsNullOrEmpty(ex.Status.Detail) ? ex.StatusCode.ToString() : ex.Status.Detail;
        var where = $"etcd at {connection.Endpoints}";
        return ex.StatusCode switch
        {
            StatusCode.InvalidArgument when detail.Contains("authentication failed", StringComparison.Ordinal)
                => new EtcdException($"{where} refused the credentials of user '{connection.Username}' during {operation} of '{subject}': {detail}", ex, isTransient: false),
            StatusCode.InvalidArgument when detail.Contains("user name is empty", StringComparison.Ordinal)
                => new EtcdException($"{where} requires authentication for {operation} of '{subject}': set Username and Password ({detail})", ex, isTransient: false),
            StatusCode.PermissionDenied
                => new EtcdException($"{where} denied {operation} of '{subject}' to user '{connection.Username}': {detail}", ex, isTransient: false),
            StatusCode.DeadlineExceeded
                => new EtcdException($"{where} did not answer {operation} of '{subject}' within {connection.RequestTimeout.TotalSeconds:0.###} s.", new TimeoutException(detail, ex), isTransient: true),
            StatusCode.Unavailable
                => new EtcdException($"{where} is unavailable for {operation} of '{subject}': {detail}", ex, isTransient: true),
            StatusCode.Internal when detail.Contains("SSL", StringComparison.Ordinal)
                => new EtcdException($"Could not establish TLS with {where} for {operation} of '{subject}' (check TrustedCaFile and the client certificate): {detail}", ex, isTransient: false),
            StatusCode.Unauthenticated or StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.Unimplemented
                => new EtcdException($"{where} refused {operation} of '{subject}': {detail} ({ex.StatusCode})", ex, isTransient: false),
            _ => new EtcdException($"{where} failed {operation} of '{subject}': {detail} ({ex.StatusCode})", ex, isTransient: true),
        };
    }

    /// <summary>Whether the failure says the lease no longer exists (put with a revoked or expired lease).</summary>
    public static bool IsLeaseNotFound(EtcdException ex)
        => ex.InnerException is RpcException { StatusCode: StatusCode.NotFound } rpc && rpc.Status.Detail.Contains("lease not found", StringComparison.Ordinal);
}

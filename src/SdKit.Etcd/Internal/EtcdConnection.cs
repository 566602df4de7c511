using dotnet_etcd;
using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace SdKit.Etcd;

/// <summary>
/// The gRPC connection to the cluster, through dotnet-etcd: one <see cref="EtcdClient"/> over a handler with
/// HTTP/2 keep-alive pings and the configured TLS, plus deadlines and error translation for every unary call.
/// </summary>
internal sealed partial class EtcdConnection : IDisposable
{
    /// <summary>
    /// etcd's "require leader" metadata: a member that loses its leader cancels the watch instead of serving a
    /// stale stream, so the watch resumes on a member that can see the cluster.
    /// </summary>
    private static readonly Metadata s_requireLeader = new() { { "hasleader", "true" } };

    private readonly SocketsHttpHandler _handler;
    private readonly TimeProvider _time;

    public EtcdConnection(EtcdDiscoveryOptions options, TimeProvider time)
    {
        _time = time;
        RequestTimeout = options.RequestTimeout;
        Endpoints = string.Join(",", options.Endpoints);
        Username = options.Username;
        _handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = EtcdDefaults.Http2PingDelay,
            KeepAlivePingTimeout = EtcdDefaults.Http2PingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.UsesTls)
        {
            EtcdTls.Configure(_handler.SslOptions, options);
        }

        var credentials = options.UsesTls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        Client = new EtcdClient(Endpoints, configureChannelOptions: channel =>
        {
            channel.HttpHandler = _handler;
            channel.Credentials = credentials;

            // dotnet-etcd's default service config retries Unavailable calls inside gRPC. SdKit retries every call
            // itself, and gRPC's retry machinery leaves faulted attempt tasks nobody observes (they surface as
            // TaskScheduler.UnobservedTaskException), so the channel keeps only the load balancing and no retries:
            // each failure reaches the code that awaits the call.
            channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        });
        if (options.Username is { } user && options.Password is { } password)
        {
            Client.SetCredentials(user, password);
        }
    }

    /// <summary>Gets the dotnet-etcd client.</summary>
    public EtcdClient Client { get; }

    /// <summary>Gets the endpoints, comma-separated, for messages.</summary>
    public string Endpoints { get; }

    /// <summary>Gets the user name, for messages.</summary>
    public string? Username { get; }

    /// <summary>Gets the deadline of a single request.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>Gets the metadata every watch carries.</summary>
    public static Metadata WatchHeaders => s_requireLeader;

    /// <summary>Runs one unary call with the request deadline; gRPC failures become <see cref="EtcdException"/>.</summary>
    /// <param name="operation">What the call does, for messages ("put", "delete", ...).</param>
    /// <param name="subject">The key, prefix or lease involved, for messages.</param>
    /// <param name="call">The call, given the deadline.</param>
    /// <param name="cancellationToken">Cancels the call; a cancelled caller always gets <see cref="OperationCanceledException"/>.</param>
    public async Task<T> CallAsync<T>(string operation, string subject, Func<DateTime, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await CallFailingOverAsync(operation, subject, call, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (IsExpiredToken(ex) && !cancellationToken.IsCancellationRequested)
            {
                // etcd drops an idle auth token after --auth-token-ttl (5 min by default); dotnet-etcd answers the
                // first call after that with this error and authenticates again for the next one.
                return await call(Deadline(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"etcd {operation} of '{subject}' was cancelled.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw EtcdErrors.From(ex, operation, subject, this);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EtcdException($"etcd at {Endpoints} did not answer {operation} of '{subject}' within {RequestTimeout.TotalSeconds:0.###} s.", new TimeoutException(ex.Message, ex), isTransient: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            throw Unreachable(operation, subject, ex.Message, ex);
        }
    }

    private DateTime Deadline() => _time.GetUtcNow().UtcDateTime + RequestTimeout;

    /// <summary>Whether etcd refused the call because its auth token expired (a new one is fetched for the next call).</summary>
    public static bool IsExpiredToken(RpcException ex)
        => ex.StatusCode == StatusCode.Unauthenticated && ex.Status.Detail.Contains("invalid auth token", StringComparison.Ordinal);

    public void Dispose()
    {
        Client.Dispose();
        _handler.Dispose();
    }
}

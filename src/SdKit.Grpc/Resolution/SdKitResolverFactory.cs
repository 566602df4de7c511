using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Grpc.Resolution;

/// <summary>
/// Resolves <c>sdkit:///{service}</c> addresses of Grpc.Net.Client channels through SdKit instancers: every instance
/// event becomes a <see cref="ResolverResult"/> at once (push, no polling). Registered by <c>AddSdKitGrpc()</c>; build
/// one directly to give a channel instancers of your own through <c>GrpcChannelOptions.ServiceProvider</c>.
/// </summary>
public sealed class SdKitResolverFactory : ResolverFactory
{
    private readonly Func<string, ResolvedService> _instancers;
    private readonly SdKitGrpcOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Initializes a factory that asks <paramref name="instancers"/> for the instancer of each service name.</summary>
    /// <param name="instancers">
    /// Returns the instancer of a service name (<c>greeter</c> for <c>sdkit:///greeter</c>). The caller owns the
    /// instancers: a channel's resolver subscribes to one and unsubscribes when the channel is disposed.
    /// </param>
    /// <param name="options">The policy and first-answer timeout; <see langword="null"/> for the defaults.</param>
    /// <param name="codec">Decodes the instance strings (SdKit's or Curator's JSON, ...); <see langword="null"/> for plain strings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="instancers"/> is <see langword="null"/>.</exception>
    public SdKitResolverFactory(Func<string, IInstancer> instancers, SdKitGrpcOptions? options = null, IInstanceCodec? codec = null)
        : this(WithoutPath(instancers, codec ?? PlainInstanceCodec.Instance), options ?? new SdKitGrpcOptions(), TimeProvider.System)
    {
    }

    internal SdKitResolverFactory(Func<string, ResolvedService> instancers, SdKitGrpcOptions options, TimeProvider time)
    {
        _instancers = instancers;
        _options = options;
        _time = time;
    }

    /// <inheritdoc/>
    public override string Name => SdKitGrpcConstants.Scheme;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The address does not name one service (<c>sdkit:///greeter</c>).</exception>
    public override Resolver Create(ResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var service = ServiceOf(options.Address);
        var instancer = _instancers(service);
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SdKitResolver>();
        return new SdKitResolver(service, instancer, _options, _time, logger);
    }

    /// <summary>
    /// Reads the service of <c>sdkit:///greeter</c> (a name under <c>SdKit:ServicesPath</c>) or of
    /// <c>sdkit:///services/greeter</c> (a full path, when the path has more than one segment).
    /// </summary>
    internal static string ServiceOf(Uri address)
    {
        var path = address.AbsolutePath.Trim('/');
        if (!string.IsNullOrEmpty(address.Host) || path.Length == 0)
        {
            throw new ArgumentException(
                $"The gRPC address '{address}' does not name a service: write it as sdkit:///{{service}}, for example sdkit:///greeter (three slashes, no host).",
                nameof(address));
        }

        path = Uri.UnescapeDataString(path);
        return path.Contains('/', StringComparison.Ordinal) ? "/" + path : path;
    }

    private static Func<string, ResolvedService> WithoutPath(Func<string, IInstancer> instancers, IInstanceCodec codec)
    {
        ArgumentNullException.ThrowIfNull(instancers);
        return service => new ResolvedService(instancers(service) ?? throw new InvalidOperationException($"No instancer was returned for the service '{service}'."), service, codec);
    }
}

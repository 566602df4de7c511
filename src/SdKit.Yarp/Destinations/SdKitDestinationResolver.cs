using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace SdKit.Yarp.Destinations;

/// <summary>
/// YARP's <see cref="IDestinationResolver"/> over SdKit: a destination whose address is <c>sdkit:///{service}</c>
/// becomes one destination per live instance of the service (named <c>{destination}/{instance}</c>), and the change
/// token returned fires on the instancer's next different event, so YARP resolves again and stops sending to an
/// instance that left, without a restart. Other destinations pass through unchanged.
/// </summary>
/// <remarks>
/// A registry outage keeps the last set known to be good (the instancer's events carry it), so the cluster keeps its
/// destinations; an empty service leaves the cluster with none for it, and YARP answers 503.
/// </remarks>
internal sealed partial class SdKitDestinationResolver(
    Func<string, (IInstancer Instancer, string Path, IInstanceCodec Codec)> instancers,
    IOptions<SdKitYarpOptions> options,
    ILogger<SdKitDestinationResolver> logger) : IDestinationResolver
{
    /// <summary>The scheme of a destination SdKit resolves.</summary>
    public const string Scheme = "sdkit";

    /// <inheritdoc/>
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        var resolved = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        var tokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var address) || !string.Equals(address.Scheme, Scheme, StringComparison.OrdinalIgnoreCase))
            {
                resolved[name] = destination;
                continue;
            }

            var service = ServiceOf(address, name);
            var (instancer, path, codec) = instancers(service);
            var current = await FirstAnswerAsync(instancer, path, cancellationToken).ConfigureAwait(false);
            tokens.Add(ChangeOf(instancer, current));
            foreach (var instance in current.Instances)
            {
                var (expanded, id, disabled) = InstanceDestinations.Create(destination, service, instance, options.Value.DefaultScheme, codec);
                if (expanded is null)
                {
                    if (!disabled)
                    {
                        Log.UnreadableInstance(logger, path, instance);
                    }

                    continue;
                }

                resolved[$"{name}/{id}"] = expanded;
            }

            Log.Resolved(logger, name, path, current.Instances.Length);
        }

        IChangeToken? token = tokens.Count switch
        {
            0 => null,
            1 => tokens[0],
            _ => new CompositeChangeToken(tokens),
        };
        return new ResolvedDestinationCollection(resolved, token);
    }

    /// <summary>Reads the service of <c>sdkit:///greeter</c> (a name) or <c>sdkit:///apps/greeter</c> (a full path).</summary>
    internal static string ServiceOf(Uri address, string destination)
    {
        var path = address.AbsolutePath.Trim('/');
        if (!string.IsNullOrEmpty(address.Host) || path.Length == 0)
        {
            throw new InvalidOperationException(
                $"The address '{address}' of destination '{destination}' does not name a service: write it as sdkit:///{{service}}, for example sdkit:///greeter (three slashes, no host).");
        }

        path = Uri.UnescapeDataString(path);
        return path.Contains('/', StringComparison.Ordinal) ? "/" + path : path;
    }

    /// <summary>A token that fires once the instancer publishes an event different from <paramref name="seen"/>.</summary>
    private static CancellationChangeToken ChangeOf(IInstancer instancer, InstanceEvent seen)
    {
        var changed = new CancellationTokenSource();
        var subscription = new SingleAssignmentDisposable();
        subscription.Set(instancer.Subscribe(new ChangeObserver(seen, changed, subscription)));
        return new CancellationChangeToken(changed.Token);
    }

    private async ValueTask<InstanceEvent> FirstAnswerAsync(IInstancer instancer, string path, CancellationToken cancellationToken)
    {
        var timeout = options.Value.FirstAnswerTimeout;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero)
        {
            waiting.CancelAfter(timeout);
        }

        try
        {
            return await instancer.WaitForFirstEventAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.FirstAnswerTimedOut(logger, path, timeout);
            return instancer.Current;
        }
    }

    /// <summary>Cancels the token on the first event that differs from the one resolved, then unsubscribes.</summary>
    private sealed class ChangeObserver(InstanceEvent seen, CancellationTokenSource changed, IDisposable subscription) : IObserver<InstanceEvent>
    {
        private int _fired;

        public void OnNext(InstanceEvent value)
        {
            // Only the set matters to YARP: an error event carrying the same instances changes no destination.
            if (!value.Instances.AsSpan().SequenceEqual(seen.Instances.AsSpan()))
            {
                Fire();
            }
        }

        public void OnError(Exception error) => Fire();

        public void OnCompleted()
        {
            // The application is stopping: nothing will change any more.
        }

        private void Fire()
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                // Not disposed: YARP may still register on the token after it fired, which needs the source.
                changed.Cancel();
                subscription.Dispose();
            }
        }
    }

    /// <summary>Holds a subscription made after the observer that disposes it (the observer may fire during Subscribe).</summary>
    private sealed class SingleAssignmentDisposable : IDisposable
    {
        private IDisposable? _inner;
        private bool _disposed;

        public void Set(IDisposable inner)
        {
            lock (this)
            {
                if (!_disposed)
                {
                    _inner = inner;
                    return;
                }
            }

            inner.Dispose();
        }

        public void Dispose()
        {
            IDisposable? inner;
            lock (this)
            {
                _disposed = true;
                inner = _inner;
                _inner = null;
            }

            inner?.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Destination {Destination} resolved through {ServicePath} to {Count} instances.", EventName = "Resolved")]
        public static partial void Resolved(ILogger logger, string destination, string servicePath, int count);

        [LoggerMessage(2, LogLevel.Warning, "Instance '{Instance}' of {ServicePath} is neither a URI nor host:port; YARP leaves it out.", EventName = "UnreadableInstance")]
        public static partial void UnreadableInstance(ILogger logger, string servicePath, string instance);

        [LoggerMessage(3, LogLevel.Warning, "The registry has not answered about {ServicePath} within {Timeout}; the cluster has no destination for it until it does.", EventName = "FirstAnswerTimedOut")]
        public static partial void FirstAnswerTimedOut(ILogger logger, string servicePath, TimeSpan timeout);
    }
}

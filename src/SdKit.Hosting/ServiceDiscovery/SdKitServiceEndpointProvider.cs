using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Resolves one service for Microsoft.Extensions.ServiceDiscovery from an SdKit instancer. Every change the
/// instancer publishes, and every quarantine or release of one of its addresses, fires the change token handed out
/// with the previous answer, so the resolver refreshes at once instead of polling.
/// </summary>
/// <remarks>
/// When no instance is known because the registry has not answered (or cannot be read), the provider resolves to the
/// configured fallback instances, or throws <see cref="RegistryUnavailableException"/>: a clear error, raised on every
/// call until the registry answers, instead of an empty set the selector turns into "no endpoints".
/// </remarks>
internal sealed partial class SdKitServiceEndpointProvider : IServiceEndpointProvider, IObserver<InstanceEvent>
{
    private readonly ServiceEndpointQuery _query;
    private readonly string _servicePath;
    private readonly IInstancer _instancer;
    private readonly TimeSpan _firstSnapshotTimeout;
    private readonly IReadOnlyList<string> _fallback;
    private readonly EndpointQuarantine _quarantine;
    private readonly Func<string> _clientState;
    private readonly IInstanceCodec _codec;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly IDisposable _subscription;

    // True once the registry answered about the service (an empty set or an error is an answer); false when disposed first.
    private readonly Task<bool> _firstAnswer;
    private CancellationTokenSource _changed = new();
    private volatile HashSet<string> _candidates = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _gaveUpWaiting;
    private volatile bool _usingFallback;

    public SdKitServiceEndpointProvider(ServiceEndpointProviderSettings settings, ILogger logger)
    {
        _query = settings.Query;
        _servicePath = settings.ServicePath;
        _instancer = settings.Instancer;
        _firstSnapshotTimeout = settings.FirstSnapshotTimeout;
        _fallback = settings.Fallback;
        _quarantine = settings.Quarantine;
        _clientState = settings.ClientState;
        _codec = settings.Codec;
        _logger = logger;
        _firstAnswer = AnsweredAsync(_instancer, _disposing.Token);
        _quarantine.Changed += OnQuarantineChanged;
        _subscription = _instancer.Subscribe(this);
    }

    /// <inheritdoc/>
    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The token is taken before the snapshot is read: a change that lands in between fires it, so no update
        // is ever lost between two resolutions.
        var changed = Volatile.Read(ref _changed).Token;
        if (await WaitForFirstAnswerAsync(cancellationToken).ConfigureAwait(false))
        {
            changed = Volatile.Read(ref _changed).Token;
        }

        var current = _instancer.Current;
        var candidates = Parse(current.Instances, log: true, _codec);
        _candidates = new HashSet<string>(candidates.Select(c => c.Key), StringComparer.OrdinalIgnoreCase);
        var answered = _firstAnswer.IsCompletedSuccessfully && _firstAnswer.Result;
        if (current.Instances.IsEmpty && (current.Error is not null || !answered))
        {
            PopulateFallback(endpoints, current.Error);
            endpoints.AddChangeToken(new CancellationChangeToken(changed));
            return;
        }

        if (_usingFallback)
        {
            _usingFallback = false;
            Log.FallbackEnded(_logger, _servicePath, current.Instances.Length);
        }

        var chosen = candidates.Where(c => !_quarantine.IsQuarantined(c.Key)).ToList();
        if (chosen.Count == 0 && candidates.Count > 0)
        {
            // Leaving every instance out would only turn the real connection errors into "no endpoints".
            Log.AllQuarantined(_logger, _servicePath, candidates.Count);
            chosen = candidates;
        }

        foreach (var (endPoint, _, instance) in chosen)
        {
            endpoints.Endpoints.Add(ServiceEndpoint.Create(endPoint, instance is null ? null : Features(instance)));
        }

        if (current.Error is { } error)
        {
            Log.StaleInstances(_logger, error, _servicePath, current.Instances.Length);
        }

        endpoints.AddChangeToken(new CancellationChangeToken(changed));
    }

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnNext(InstanceEvent value) => Signal();

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnError(Exception error) => Signal();

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnCompleted() => Signal();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _quarantine.Changed -= OnQuarantineChanged;
        _subscription.Dispose();
        _disposing.Cancel();
        Signal();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"SdKit({_servicePath})";

    private static async Task<bool> AnsweredAsync(IInstancer instancer, CancellationToken disposing)
    {
        try
        {
            await instancer.WaitForFirstEventAsync(disposing).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed before the registry answered (the application is shutting down).
            return false;
        }
    }

    /// <summary>
    /// Waits until the registry has answered, at most the first-snapshot timeout, and only once: after a timeout every
    /// call answers at once (with the fallback or the error) until the registry does answer. Returns whether it waited,
    /// so the caller takes a fresh change token.
    /// </summary>
    private async ValueTask<bool> WaitForFirstAnswerAsync(CancellationToken cancellationToken)
    {
        if (_firstAnswer.IsCompleted || _gaveUpWaiting || _firstSnapshotTimeout <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await _firstAnswer.WaitAsync(_firstSnapshotTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _gaveUpWaiting = true;
            Log.FirstSnapshotTimedOut(_logger, _servicePath, _firstSnapshotTimeout);
        }

        return true;
    }

    private void PopulateFallback(IServiceEndpointBuilder endpoints, Exception? error)
    {
        if (_fallback.Count == 0)
        {
            var reason = error is null
                ? $"the registry has not answered about it within SdKit:FirstSnapshotTimeout ({_firstSnapshotTimeout.TotalSeconds:0.###} s; the discovery client is {_clientState()})"
                : $"the registry cannot be read ({error.Message})";
            throw new RegistryUnavailableException(
                _query.ServiceName,
                _servicePath,
                $"No instance of '{_query.ServiceName}' ('{_servicePath}') is known: {reason}. Calls fail until the registry answers; set SdKit:FallbackInstances:{_query.ServiceName} to call fixed instances meanwhile.",
                error);
        }

        if (!_usingFallback)
        {
            _usingFallback = true;
            Log.UsingFallback(_logger, error, _servicePath, string.Join(", ", _fallback));
        }

        foreach (var (endPoint, _, _) in Parse(_fallback, log: false, PlainInstanceCodec.Instance))
        {
            endpoints.Endpoints.Add(ServiceEndpoint.Create(endPoint));
        }
    }

    /// <summary>
    /// The endpoints of <paramref name="instances"/>: plain strings are read as a URI or host:port, as before typed
    /// instances; any other format is decoded first, and a disabled instance is left out.
    /// </summary>
    private List<(EndPoint EndPoint, string Key, ServiceInstance? Instance)> Parse(IEnumerable<string> instances, bool log, IInstanceCodec codec)
    {
        var parsed = new List<(EndPoint, string, ServiceInstance?)>();
        foreach (var instance in instances)
        {
            EndPoint? endPoint;
            ServiceInstance? typed;
            if (codec is PlainInstanceCodec)
            {
                typed = InstanceEndPoints.TryParse(instance, out endPoint) ? codec.Decode(instance).Instance : null;
            }
            else
            {
                var decoded = codec.Decode(instance);
                typed = decoded.Instance;
                if (typed is null)
                {
                    if (log)
                    {
                        Log.UndecodableInstance(_logger, _servicePath, decoded.Failure!);
                    }

                    continue;
                }

                if (!typed.Enabled)
                {
                    continue;
                }

                _ = InstanceEndPoints.TryCreate(typed, out endPoint);
            }

            if (endPoint is null)
            {
                if (log)
                {
                    Log.UnreadableInstance(_logger, _servicePath, instance);
                }

                continue;
            }

            if (InstanceEndPoints.MatchesSchemes(endPoint, _query.IncludedSchemes))
            {
                parsed.Add((endPoint, EndpointQuarantine.KeyOf(endPoint) ?? instance, typed));
            }
        }

        return parsed;
    }

    private static FeatureCollection Features(ServiceInstance instance)
    {
        var features = new FeatureCollection(1);
        features.Set<IServiceInstanceFeature>(new ServiceInstanceFeature(instance));
        return features;
    }

    private void OnQuarantineChanged(string key)
    {
        if (_candidates.Contains(key))
        {
            Signal();
        }
    }

    /// <summary>Replaces the change token and fires the old one off the caller's thread.</summary>
    private void Signal()
    {
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        _ = previous.CancelAsync();
    }
}

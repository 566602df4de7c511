using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Logging;
using SdKit.Instances;

namespace SdKit.Grpc.Resolution;

/// <summary>
/// One channel's resolver of one service: subscribed to the service's instancer, it turns each event into a
/// <see cref="ResolverResult"/> as it arrives. <see cref="Refresh"/> is a hint only gRPC gives; a push resolver has
/// nothing to fetch.
/// </summary>
/// <remarks>
/// <para>The channel waits for the first result before its first call is picked, so the resolver waits for the
/// registry's first answer (<see cref="IInstancer.WaitForFirstEventAsync"/>) rather than publish the placeholder empty
/// set; after <see cref="SdKitGrpcOptions.FirstAnswerTimeout"/> it publishes a failure naming the service, so calls fail
/// with <see cref="StatusCode.Unavailable"/> instead of hanging, and it goes on waiting.</para>
/// <para>A registry error arrives as an event that still carries the last set known to be good; that set is published
/// again, so the balancer keeps its subchannels. Only an error with nothing known becomes a failure result. An empty
/// set is published as it is: SdKit's balancers then fail calls with a message naming the service.</para>
/// </remarks>
internal sealed partial class SdKitResolver : Resolver, IObserver<InstanceEvent>
{
    private readonly string _service;
    private readonly ResolvedService _instancer;
    private readonly SdKitGrpcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ServiceConfig? _serviceConfig;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private Action<ResolverResult>? _listener;
    private IDisposable? _subscription;
    private bool _disposed;

    public SdKitResolver(string service, ResolvedService instancer, SdKitGrpcOptions options, TimeProvider time, ILogger logger)
    {
        _service = service;
        _instancer = instancer;
        _options = options;
        _time = time;
        _logger = logger;
        _serviceConfig = ServiceConfigs.For(options.LoadBalancingPolicy, service, instancer.ServicePath);
    }

    /// <inheritdoc/>
    public override void Start(Action<ResolverResult> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            if (_listener is not null)
            {
                throw new InvalidOperationException($"The resolver of sdkit:///{_service} has already been started.");
            }

            _listener = listener;
        }

        _ = SubscribeAfterFirstAnswerAsync();
    }

    /// <inheritdoc/>
    public override void Refresh()
    {
        // Every change is pushed as it happens: there is nothing to look up again.
    }

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnNext(InstanceEvent value) => Publish(value);

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnError(Exception error)
    {
        // An instancer reports errors inside events; a stream error would be a bug worth seeing.
        Log.StreamFailed(_logger, error, _instancer.ServicePath);
    }

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnCompleted()
    {
        // The instancer was disposed with the application: the last result stays in force until the channel goes.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            IDisposable? subscription;
            lock (_gate)
            {
                _disposed = true;
                subscription = _subscription;
                _subscription = null;
            }

            _stopping.Cancel();
            subscription?.Dispose();
            _stopping.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task SubscribeAfterFirstAnswerAsync()
    {
        try
        {
            var token = _stopping.Token;
            var first = _instancer.Instancer.WaitForFirstEventAsync(token).AsTask();
            var timeout = _options.FirstAnswerTimeout;
            if (!first.IsCompleted && timeout > TimeSpan.Zero)
            {
                var winner = await Task.WhenAny(first, Task.Delay(timeout, _time, token)).ConfigureAwait(false);
                if (winner != first)
                {
                    Log.FirstAnswerTimedOut(_logger, _instancer.ServicePath, timeout);
                    Report(ResolverResult.ForFailure(new Status(
                        StatusCode.Unavailable,
                        $"No instance of '{_service}' ('{_instancer.ServicePath}') is known: the registry has not answered within {timeout.TotalSeconds:0.###} s. Calls go on as soon as it answers.")));
                }
            }

            await first.ConfigureAwait(false);
            var subscription = _instancer.Instancer.Subscribe(this);
            lock (_gate)
            {
                if (!_disposed)
                {
                    _subscription = subscription;
                    return;
                }
            }

            subscription.Dispose();
        }
        catch (OperationCanceledException)
        {
            // The channel was disposed before the registry answered.
        }
        catch (ObjectDisposedException)
        {
            // The application's instancer went first (shutdown).
        }
        catch (Exception ex)
        {
            Log.StreamFailed(_logger, ex, _instancer.ServicePath);
            Report(ResolverResult.ForFailure(new Status(StatusCode.Unavailable, $"The instances of '{_service}' ('{_instancer.ServicePath}') cannot be watched: {ex.Message}", ex)));
        }
    }

    private void Publish(InstanceEvent value)
    {
        var addresses = new List<BalancerAddress>(value.Instances.Length);
        foreach (var instance in value.Instances)
        {
            if (InstanceAddresses.TryCreate(instance, _service, _instancer.Codec, out var address, out var disabled))
            {
                addresses.Add(address);
            }
            else if (!disabled)
            {
                Log.UnreadableInstance(_logger, _instancer.ServicePath, instance);
            }
        }

        if (value.Error is not null)
        {
            Log.RegistryError(_logger, value.Error, _instancer.ServicePath, addresses.Count);
            if (addresses.Count == 0)
            {
                Report(ResolverResult.ForFailure(new Status(
                    StatusCode.Unavailable,
                    $"No instance of '{_service}' ('{_instancer.ServicePath}') is known: the registry cannot be read ({value.Error.Message}).",
                    value.Error)));
                return;
            }
        }
        else if (addresses.Count == 0 && value.Instances.Length > 0)
        {
            Report(ResolverResult.ForFailure(new Status(
                StatusCode.Unavailable,
                $"No instance of '{_service}' ('{_instancer.ServicePath}') can be called: none of [{string.Join(", ", value.Instances)}] is a URI or host:port.")));
            return;
        }

        Log.Resolved(_logger, _instancer.ServicePath, addresses.Count);
        Report(ResolverResult.ForResult(addresses, _serviceConfig, serviceConfigStatus: null));
    }

    private void Report(ResolverResult result)
    {
        // The channel's listener is not re-entrant: events and the timeout never call it at the same time.
        lock (_gate)
        {
            if (!_disposed)
            {
                _listener?.Invoke(result);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Resolved {ServicePath} to {Count} addresses.", EventName = "Resolved")]
        public static partial void Resolved(ILogger logger, string servicePath, int count);

        [LoggerMessage(2, LogLevel.Warning, "Instance '{Instance}' of {ServicePath} is neither a URI nor host:port; gRPC calls leave it out.", EventName = "UnreadableInstance")]
        public static partial void UnreadableInstance(ILogger logger, string servicePath, string instance);

        [LoggerMessage(3, LogLevel.Warning, "The registry could not be read for {ServicePath}; gRPC calls keep the {Count} addresses known last.", EventName = "RegistryError")]
        public static partial void RegistryError(ILogger logger, Exception exception, string servicePath, int count);

        [LoggerMessage(4, LogLevel.Warning, "The registry has not answered about {ServicePath} within {Timeout}; gRPC calls fail with Unavailable until it does.", EventName = "FirstAnswerTimedOut")]
        public static partial void FirstAnswerTimedOut(ILogger logger, string servicePath, TimeSpan timeout);

        [LoggerMessage(5, LogLevel.Error, "The instance stream of {ServicePath} failed.", EventName = "StreamFailed")]
        public static partial void StreamFailed(ILogger logger, Exception exception, string servicePath);
    }
}

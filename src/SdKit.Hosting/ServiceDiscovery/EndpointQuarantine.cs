using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Diagnostics;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// The instances (by <c>host:port</c>) that refused a connection recently, for every HTTP client of the application:
/// the <see cref="SdKitServiceEndpointProvider"/> leaves them out of the endpoints it publishes until their time is up,
/// so Microsoft.Extensions.ServiceDiscovery stops choosing a crashed instance long before its session or lease expires.
/// Fed by <see cref="EndpointQuarantineHandler"/>.
/// </summary>
/// <remarks>
/// Keyed by address rather than by service: an address that refuses connections is down for every service that lists
/// it. Each quarantine and each release fires <see cref="Changed"/>, which the providers of services holding that
/// address turn into a change token, so the resolver refreshes on the next call instead of polling.
/// </remarks>
internal sealed partial class EndpointQuarantine : IDisposable
{
    /// <summary>The span of one quarantine decision, on the <c>SdKit</c> source (a child of the failed call's context).</summary>
    public const string SpanName = "sdkit.http.quarantine";

    // The same name as the core's source: AddSource("SdKit") takes both, nobody has a third name to learn.
    private static readonly ActivitySource s_source = new(SdKitDiagnostics.ActivitySourceName);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<EndpointQuarantineOptions> _options;
    private readonly ILogger _logger;
    private bool _disposed;

    public EndpointQuarantine(TimeProvider time, IOptionsMonitor<EndpointQuarantineOptions> options, ILogger<EndpointQuarantine> logger)
    {
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised with the address after it was quarantined or released, outside any lock.</summary>
    public event Action<string>? Changed;

    /// <summary>Gets the quarantine time in force.</summary>
    public TimeSpan Duration => _options.CurrentValue.Duration;

    /// <summary>Returns the key of an endpoint as the provider publishes it: <c>host:port</c>, host lower case, no brackets.</summary>
    public static string? KeyOf(EndPoint endPoint) => endPoint switch
    {
        UriEndPoint { Uri: var uri } => Key(uri.Host, uri.Port),
        IPEndPoint ip => Key(ip.Address.ToString(), ip.Port),
        DnsEndPoint dns => Key(dns.Host, dns.Port),
        _ => null,
    };

    /// <summary>Returns the key of the address a request was sent to, after service discovery rewrote it.</summary>
    public static string KeyOf(Uri requestUri) => Key(requestUri.Host, requestUri.Port);

    /// <summary>Returns whether <paramref name="key"/> is quarantined now.</summary>
    public bool IsQuarantined(string key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) && entry.Until > _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Leaves <paramref name="key"/> out for <see cref="EndpointQuarantineOptions.Duration"/> from now (again, if it
    /// already was). Returns whether it was not quarantined before.
    /// </summary>
    public bool Quarantine(string key, Exception error)
    {
        var duration = Duration;
        if (duration <= TimeSpan.Zero)
        {
            return false;
        }

        bool isNew;
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            isNew = !_entries.TryGetValue(key, out var previous) || previous.Until <= now;
            previous?.Timer.Dispose();
            var timer = _time.CreateTimer(static state => ((Release)state!).Run(), new Release(this, key), duration, Timeout.InfiniteTimeSpan);
            _entries[key] = new Entry(now + duration, timer);
        }

        if (isNew)
        {
            Log.Quarantined(_logger, error, key, duration);
            using var span = s_source.StartActivity(SpanName, ActivityKind.Internal);
            span?.SetTag(QuarantineKeyAttribute, key);
            span?.SetTag(QuarantineDurationAttribute, duration.TotalSeconds);
            span?.SetTag(SdKitSpanAttributes.ErrorType, error.GetType().FullName);
            Changed?.Invoke(key);
        }

        return isNew;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var entry in _entries.Values)
            {
                entry.Timer.Dispose();
            }

            _entries.Clear();
        }
    }

    /// <summary>The attribute naming the quarantined address.</summary>
    public const string QuarantineKeyAttribute = "sdkit.endpoint";

    /// <summary>The attribute giving the quarantine time in seconds.</summary>
    public const string QuarantineDurationAttribute = "sdkit.quarantine.seconds";

    private void OnReleased(string key)
    {
        lock (_gate)
        {
            if (_disposed || !_entries.TryGetValue(key, out var entry) || entry.Until > _time.GetUtcNow())
            {
                return;
            }

            entry.Timer.Dispose();
            _entries.Remove(key);
        }

        Log.Released(_logger, key);
        Changed?.Invoke(key);
    }

    private static string Key(string host, int port) => $"{host.Trim('[', ']').ToLowerInvariant()}:{port}";

    private sealed record Entry(DateTimeOffset Until, ITimer Timer);

    private sealed class Release(EndpointQuarantine owner, string key)
    {
        public void Run() => owner.OnReleased(key);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Instance {Endpoint} could not be connected to; it is not chosen for {Duration} (or until it is removed from the registry).", EventName = "Quarantined")]
        public static partial void Quarantined(ILogger logger, Exception exception, string endpoint, TimeSpan duration);

        [LoggerMessage(2, LogLevel.Information, "Instance {Endpoint} is chosen again after its quarantine.", EventName = "Released")]
        public static partial void Released(ILogger logger, string endpoint);
    }
}

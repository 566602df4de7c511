using System.Diagnostics;

namespace SdKit.Etcd;

/// <summary>
/// The etcd backend's span on the <c>SdKit.Etcd</c> source: <see cref="LostSpanName"/>, from the moment the client's
/// lease is found gone to the moment etcd granted a new one (or the client stopped first). The root of its own trace.
/// </summary>
/// <remarks>Only the lease keeper's loop (and its disposal, after the loop ended) touches it.</remarks>
internal sealed class LeaseSpans
{
    /// <summary>The name of the etcd backend's activity source.</summary>
    public const string SourceName = "SdKit.Etcd";

    /// <summary>The span of a lost lease.</summary>
    public const string LostSpanName = "sdkit.etcd.lease.lost";

    public const string LeaseAttribute = "sdkit.etcd.lease";
    public const string NewLeaseAttribute = "sdkit.etcd.new_lease";
    public const string ReasonAttribute = "sdkit.etcd.reason";
    public const string OutcomeAttribute = "sdkit.outcome";

    private static readonly ActivitySource s_source = new(SourceName, typeof(LeaseSpans).Assembly.GetName().Version?.ToString());

    private Activity? _lost;

    /// <summary>Opens the span of a lost lease (hex id, as the logs name it).</summary>
    public void Lost(string lease, string reason)
    {
        if (_lost is not null || !s_source.HasListeners())
        {
            return;
        }

        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            _lost = s_source.StartActivity(LostSpanName, ActivityKind.Internal);
            _lost?.SetTag(LeaseAttribute, lease);
            _lost?.SetTag(ReasonAttribute, reason);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    /// <summary>Closes the span: etcd granted <paramref name="lease"/>.</summary>
    public void Granted(string lease)
    {
        if (_lost is not { } span)
        {
            return;
        }

        _lost = null;
        span.SetTag(NewLeaseAttribute, lease);
        span.SetTag(OutcomeAttribute, "granted");
        span.SetStatus(ActivityStatusCode.Ok);
        span.Dispose();
    }

    /// <summary>Closes the span, if open, as failed: the client stopped before a new lease was granted.</summary>
    public void Stopped()
    {
        if (_lost is not { } span)
        {
            return;
        }

        _lost = null;
        span.SetTag(OutcomeAttribute, "stopped");
        span.SetStatus(ActivityStatusCode.Error, "The client stopped before etcd granted a new lease.");
        span.Dispose();
    }
}

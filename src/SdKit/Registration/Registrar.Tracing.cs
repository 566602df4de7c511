using System.Diagnostics;
using SdKit.Client;
using SdKit.Diagnostics;

namespace SdKit.Registration;

/// <content>Spans: one per write attempt, one per removal, and one for each time the entry was out of the registry.</content>
public sealed partial class Registrar
{
    // Guarded by _gate: open from a loss of the session or lease until the entry is written again or the registrar stops.
    private Activity? _lostSpan;

    /// <summary>
    /// Starts the span of one write attempt. At start it is a child of the caller's span; a recovery attempt belongs
    /// to the span of the loss it repairs, or starts a trace of its own.
    /// </summary>
    private Activity? StartRegisterSpan(string reason, int attempt)
    {
        Activity? span;
        if (reason == RecoveryReason)
        {
            span = _lostSpan is { } lost
                ? SdKitActivities.Source.StartActivity(SdKitSpanNames.Register, ActivityKind.Internal, lost.Context)
                : SdKitActivities.StartRoot(SdKitSpanNames.Register);
        }
        else
        {
            span = SdKitActivities.Source.StartActivity(SdKitSpanNames.Register, ActivityKind.Internal);
        }

        if (span is not null)
        {
            TagEntry(span);
            span.SetTag(SdKitSpanAttributes.RegistrationReason, reason);
            span.SetTag(SdKitSpanAttributes.Attempt, attempt);
        }

        return span;
    }

    private static void EndRegisterSpan(Activity? span, RegisteredEntry? registered, Exception? error)
    {
        if (span is null)
        {
            return;
        }

        if (registered is not null)
        {
            span.SetTag(SdKitSpanAttributes.RegistrationKey, registered.Key);
        }

        if (error is not null)
        {
            span.SetError(error);
        }

        span.Dispose();
    }

    private Activity? StartDeregisterSpan(RegisteredEntry handle)
    {
        var span = SdKitActivities.Source.StartActivity(SdKitSpanNames.Deregister, ActivityKind.Internal);
        if (span is not null)
        {
            TagEntry(span);
            span.SetTag(SdKitSpanAttributes.RegistrationKey, handle.Key);
        }

        return span;
    }

    /// <summary>Opens the span of an outage of the entry, unless one is open already (a loss during recovery).</summary>
    private void BeginLostSpan(ConnectionState cause)
    {
        if (_lostSpan is not null)
        {
            return;
        }

        _lostSpan = SdKitActivities.StartRoot(SdKitSpanNames.RegistrationLost);
        if (_lostSpan is not null)
        {
            TagEntry(_lostSpan);
            _lostSpan.SetTag(SdKitSpanAttributes.RegistrationLostCause, cause == ConnectionState.Closed ? "client_closed" : "session_or_lease_lost");
        }
    }

    /// <summary>Closes the outage span: <c>registered</c> when the entry is back, <c>stopped</c> when it never came back.</summary>
    private void EndLostSpan(RegisteredEntry? registered, string? stoppedBecause = null)
    {
        if (_lostSpan is not { } span)
        {
            return;
        }

        _lostSpan = null;
        if (registered is not null)
        {
            span.SetTag(SdKitSpanAttributes.RegistrationKey, registered.Key);
            span.SetTag(SdKitSpanAttributes.Outcome, "registered");
        }
        else
        {
            span.SetTag(SdKitSpanAttributes.Outcome, "stopped");
            span.SetStatus(ActivityStatusCode.Error, stoppedBecause ?? "The registrar stopped before the entry was registered again.");
        }

        span.Dispose();
    }

    private void TagEntry(Activity span)
    {
        span.SetTag(SdKitSpanAttributes.ServicePath, _entry.ServicePath);
        span.SetTag(SdKitSpanAttributes.Instance, _entry.Instance);
    }

    private const string StartReason = "start";
    private const string RecoveryReason = "recovery";
}

using System.Diagnostics;
using SdKit.Diagnostics;

namespace SdKit.LoadBalancing;

/// <content>Spans: one per call (a child of the caller's), one per attempt under it, naming the chosen instance.</content>
public static partial class Retry
{
    private static Activity? StartCallSpan(int maxAttempts)
    {
        var span = SdKitActivities.Source.StartActivity(SdKitSpanNames.Retry, ActivityKind.Internal);
        span?.SetTag(SdKitSpanAttributes.MaxAttempts, maxAttempts);
        return span;
    }

    private static Activity? StartAttemptSpan(Activity? call, int attempt)
    {
        if (call is null)
        {
            return null;
        }

        // Explicitly under the call: the previous attempt's span is no longer current, but be sure of it.
        var span = SdKitActivities.Source.StartActivity(SdKitSpanNames.RetryAttempt, ActivityKind.Internal, call.Context);
        span?.SetTag(SdKitSpanAttributes.Attempt, attempt);
        return span;
    }

    private static void EndAttemptSpan(Activity? span, Exception? error)
    {
        if (span is null)
        {
            return;
        }

        if (error is not null)
        {
            span.SetError(error);
        }

        span.Dispose();
    }

    private static void EndCallSpan(Activity? span, int attempts, string outcome)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(SdKitSpanAttributes.Attempt, attempts);
        span.SetTag(SdKitSpanAttributes.Outcome, outcome);
        if (outcome != "ok")
        {
            span.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }
}

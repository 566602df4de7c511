using System.Diagnostics;

namespace SdKit.Diagnostics;

/// <summary>The core's one <see cref="ActivitySource"/> and the helpers every span of the core goes through.</summary>
internal static class SdKitActivities
{
    internal static readonly ActivitySource Source = new(SdKitDiagnostics.ActivitySourceName, typeof(SdKitActivities).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a span of background work (a watch update, a re-registration) as the root of its own trace: such work
    /// runs on whatever execution context started the loop, and must not be filed under an unrelated request.
    /// Returns <see langword="null"/> when nobody listens, leaving <see cref="Activity.Current"/> untouched.
    /// </summary>
    internal static Activity? StartRoot(string name)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            return Source.StartActivity(name, ActivityKind.Internal);
        }
        finally
        {
            // The new span is current only for the code that ends it; the caller's context must stay as it was.
            Activity.Current = ambient;
        }
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="error"/>, the way OpenTelemetry reads it.</summary>
    internal static void SetError(this Activity activity, Exception error)
    {
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag(SdKitSpanAttributes.ErrorType, error.GetType().FullName);
        activity.AddException(error);
    }
}

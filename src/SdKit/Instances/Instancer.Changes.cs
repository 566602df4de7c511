using Microsoft.Extensions.Logging;
using SdKit.Diagnostics;

namespace SdKit.Instances;

/// <content>
/// What a published event changed, for operators and traces: the first set in one log line, then one line per
/// instance that joins or leaves, and one <see cref="SdKitSpanNames.InstancerUpdate"/> span per event.
/// </content>
public sealed partial class Instancer
{
    // Only the watch loop publishes, so only it reads and writes this.
    private bool _firstSetLogged;

    private void ReportChange(InstanceEvent previous, InstanceEvent next)
    {
        // Every watch event passes here, so the O(n) difference is computed only when a log line or a span uses it.
        using var span = SdKitActivities.StartRoot(SdKitSpanNames.InstancerUpdate);
        var logging = _logger.IsEnabled(LogLevel.Information);
        var firstSet = !_firstSetLogged && next.Error is null;
        if (firstSet)
        {
            _firstSetLogged = true;
            if (logging)
            {
                LogFirstSet(_logger, _servicePath, next.Instances.Length, next.Instances.IsEmpty ? "none" : string.Join(", ", next.Instances));
            }
        }

        if (span is null && (firstSet || !logging))
        {
            return;
        }

        var (joined, left) = next.ChangesFrom(previous);
        if (logging && !firstSet)
        {
            foreach (var instance in joined)
            {
                LogJoined(_logger, instance, _servicePath, next.Instances.Length);
            }

            foreach (var instance in left)
            {
                LogLeft(_logger, instance, _servicePath, next.Instances.Length);
            }
        }

        if (span is not null)
        {
            span.SetTag(SdKitSpanAttributes.ServicePath, _servicePath);
            span.SetTag(SdKitSpanAttributes.InstanceCount, next.Instances.Length);
            span.SetTag(SdKitSpanAttributes.InstancesJoined, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(joined));
            span.SetTag(SdKitSpanAttributes.InstancesLeft, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(left));
            if (next.Error is { } error)
            {
                span.SetError(error);
            }
        }
    }

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "'{ServicePath}' has {Count} instances: {Instances}.")]
    private static partial void LogFirstSet(ILogger logger, string servicePath, int count, string instances);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Instance '{Instance}' joined '{ServicePath}' ({Count} instances now).")]
    private static partial void LogJoined(ILogger logger, string instance, string servicePath, int count);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Instance '{Instance}' left '{ServicePath}' ({Count} instances now).")]
    private static partial void LogLeft(ILogger logger, string instance, string servicePath, int count);
}

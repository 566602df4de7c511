using System.Collections.Immutable;
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
        var (joined, left) = Difference(previous.Instances, next.Instances);
        if (!_firstSetLogged && next.Error is null)
        {
            _firstSetLogged = true;
            LogFirstSet(_logger, _servicePath, next.Instances.Length, next.Instances.IsEmpty ? "none" : string.Join(", ", next.Instances));
        }
        else
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

        using var span = SdKitActivities.StartRoot(SdKitSpanNames.InstancerUpdate);
        if (span is not null)
        {
            span.SetTag(SdKitSpanAttributes.ServicePath, _servicePath);
            span.SetTag(SdKitSpanAttributes.InstanceCount, next.Instances.Length);
            span.SetTag(SdKitSpanAttributes.InstancesJoined, joined);
            span.SetTag(SdKitSpanAttributes.InstancesLeft, left);
            if (next.Error is { } error)
            {
                span.SetError(error);
            }
        }
    }

    /// <summary>The instances only in <paramref name="after"/> and only in <paramref name="before"/>; both are sorted ordinally.</summary>
    internal static (string[] Joined, string[] Left) Difference(ImmutableArray<string> before, ImmutableArray<string> after)
    {
        var joined = new List<string>();
        var left = new List<string>();
        int i = 0, j = 0;
        while (i < before.Length || j < after.Length)
        {
            var order = i == before.Length ? 1 : j == after.Length ? -1 : string.CompareOrdinal(before[i], after[j]);
            if (order == 0)
            {
                i++;
                j++;
            }
            else if (order < 0)
            {
                left.Add(before[i++]);
            }
            else
            {
                joined.Add(after[j++]);
            }
        }

        return ([.. joined], [.. left]);
    }

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "'{ServicePath}' has {Count} instances: {Instances}.")]
    private static partial void LogFirstSet(ILogger logger, string servicePath, int count, string instances);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Instance '{Instance}' joined '{ServicePath}' ({Count} instances now).")]
    private static partial void LogJoined(ILogger logger, string instance, string servicePath, int count);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Instance '{Instance}' left '{ServicePath}' ({Count} instances now).")]
    private static partial void LogLeft(ILogger logger, string instance, string servicePath, int count);
}

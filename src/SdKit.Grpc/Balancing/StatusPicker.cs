using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>A picker with no subchannel: it queues calls (while connecting) or fails them with one status.</summary>
internal sealed class StatusPicker : SubchannelPicker
{
    private readonly PickResult _result;

    private StatusPicker(PickResult result) => _result = result;

    /// <summary>Gets a picker that keeps calls waiting for the next picker.</summary>
    public static StatusPicker Queue { get; } = new(PickResult.ForQueue());

    /// <summary>Returns a picker failing every call with <paramref name="status"/> (unless the call waits for ready).</summary>
    public static StatusPicker Failing(Status status) => new(PickResult.ForFailure(status));

    /// <inheritdoc/>
    public override PickResult Pick(PickContext context) => _result;

    /// <inheritdoc/>
    public override string ToString() => _result.Type == PickResultType.Queue ? "queue" : $"fail: {_result.Status}";
}

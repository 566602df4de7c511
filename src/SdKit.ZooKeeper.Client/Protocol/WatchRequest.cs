namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>What a watching read asks for: the kind of watch and the task its event completes.</summary>
internal sealed class WatchRequest(WatchKind kind, string serverPath)
{
    public WatchKind Kind { get; } = kind;

    public string ServerPath { get; } = serverPath;

    public TaskCompletionSource<WatchedEvent> Event { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The client-side watch tables (ZKWatchManager's data, exist and child watches).</summary>
internal enum WatchKind
{
    /// <summary>From getData, or exists on a node that exists.</summary>
    Data,

    /// <summary>From exists on a node that does not exist.</summary>
    Exist,

    /// <summary>From getChildren.</summary>
    Child,
}

namespace SdKit.ZooKeeper.Client;

/// <summary>A watch notification: what happened, and to which node (a client path, with any chroot removed).</summary>
/// <param name="Type">What happened.</param>
/// <param name="Path">The node it happened to.</param>
public readonly record struct WatchedEvent(WatchedEventType Type, string Path);

namespace SdKit.ZooKeeper.Client;

/// <summary>
/// The result of a read that left a one-shot watch, and the watch itself: <see cref="Changed"/> completes (on the
/// thread pool, never on the client's read loop) with the first event for the node.
/// </summary>
/// <typeparam name="T">The type of the read's result.</typeparam>
/// <param name="Value">The read's result.</param>
/// <param name="Changed">
/// Completes with the event that fired the watch. It survives connection loss (the watch is re-armed on the next
/// server); it faults with <see cref="SessionExpiredException"/> if the session expires, and with
/// <see cref="ClientClosedException"/> when the client is disposed.
/// </param>
public sealed record Watched<T>(T Value, Task<WatchedEvent> Changed);

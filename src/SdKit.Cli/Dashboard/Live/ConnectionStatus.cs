namespace SdKit.Cli.Dashboard.Live;

/// <summary>The dashboard's own connection, as the page shows it. Carries no secret: no password, key or file path.</summary>
/// <param name="Backend"><c>ZooKeeper</c> or <c>etcd</c>.</param>
/// <param name="Registry">The servers or endpoints, with any user information in a URL removed.</param>
/// <param name="Root">The root path whose services are shown.</param>
/// <param name="State">The discovery client's connection state (connected, suspended, lost, reconnected, closed).</param>
/// <param name="Client">The dashboard client's own session or lease.</param>
/// <param name="DiscoveryError">Why the services under the root cannot be listed right now, if they cannot.</param>
/// <param name="ReadOnly">Always true: the page has no action that writes to the registry.</param>
internal sealed record ConnectionStatus(string Backend, string Registry, string Root, string State, string Client, string? DiscoveryError, bool ReadOnly);

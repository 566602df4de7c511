namespace SdKit.Cli.Dashboard.Browsing;

/// <summary>
/// The registry-specific part of the dashboard, through the backend's own client: which services exist under the
/// root, and the entry details (owner, creation time) the discovery contract does not carry. The instance sets
/// themselves come from one core <see cref="Instances.Instancer"/> per service, never from here.
/// </summary>
internal interface IRegistryBrowser : IAsyncDisposable
{
    /// <summary>Raised with a service path whose entry details changed without its instance set changing (etcd's lease of a re-put key).</summary>
    event Action<string>? DetailsChanged;

    /// <summary>Gets the dashboard client's own session or lease, for the page's connection line.</summary>
    string ClientIdentity { get; }

    /// <summary>
    /// Follows the service paths under the root until cancelled: calls <paramref name="onService"/> once for every
    /// service path found (the root itself when entries sit directly below it), and <paramref name="onError"/> with a
    /// failure (the loop then retries with backoff) or with null once it reads the registry again.
    /// </summary>
    Task FollowServicesAsync(Action<string> onService, Action<string?> onError, CancellationToken cancellationToken);

    /// <summary>Reads the details of the entries directly below <paramref name="servicePath"/>.</summary>
    ValueTask<IReadOnlyList<InstanceDetail>> ReadDetailsAsync(string servicePath, CancellationToken cancellationToken);
}

using SdKit.Client;
using SdKit.Etcd;
using SdKit.InMemory;

namespace SdKit.Cli.Backends;

/// <summary>
/// Makes discovery clients for the backend chosen on the command line. Every client is its own session or lease,
/// as separate processes would have; in-memory clients share one registry for the life of the process.
/// </summary>
internal sealed partial class Backend(BackendSettings settings)
{
    private readonly InMemoryRegistry _memory = new();

    public BackendSettings Settings { get; } = settings;

    /// <summary>
    /// Connects a new client and proves the registry answers by listing <see cref="BackendSettings.Path"/>, waiting
    /// at most the <c>--timeout</c>.
    /// </summary>
    /// <exception cref="CliException">The registry cannot be reached or the settings are unusable.</exception>
    public async Task<IDiscoveryClient> ConnectAsync(RegistrationLayout layout, CancellationToken cancellationToken)
    {
        var client = await CreateAsync(layout, cancellationToken).ConfigureAwait(false);
        try
        {
            await WithTimeoutAsync(token => client.ListAsync(Settings.Path, token).AsTask(), "answer", cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a registry operation bounded by the <c>--timeout</c>, with one-line errors.</summary>
    /// <exception cref="CliException">The registry failed or did not answer in time.</exception>
    public async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.Timeout);
        try
        {
            return await operation(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && ex.InnerException is DiscoveryException reason)
        {
            // The --timeout ended an operation that was already failing (etcd unreachable, still being retried): the
            // failure is the answer, worded as when the client gives up by itself, so the two never race for the message.
            throw Failure(reason, ex, what);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw NoAnswer(ex, what);
        }
        catch (DiscoveryException ex)
        {
            throw Failure(ex, ex, what);
        }
    }

    /// <summary>Makes the entry for <paramref name="instance"/> in <paramref name="layout"/>; <paramref name="id"/> names a Curator node.</summary>
    /// <exception cref="CliException">The Curator layout was asked of a backend other than ZooKeeper.</exception>
    public ServiceEntry Entry(string instance, RegistrationLayout layout, string? id = null)
    {
        if (layout == RegistrationLayout.Curator && Settings.Kind != BackendKind.ZooKeeper)
        {
            throw new CliException("--layout curator is Curator's ZooKeeper layout: use it with --zk (elsewhere use --format curator alone).");
        }

        return layout switch
        {
            RegistrationLayout.Named when Settings.Kind != BackendKind.ZooKeeper => new ServiceEntry(Settings.Path, instance) { Id = instance },
            RegistrationLayout.Curator => new ServiceEntry(Settings.Path, instance) { Id = id },
            _ => new ServiceEntry(Settings.Path, instance),
        };
    }

    private Task<IDiscoveryClient> CreateAsync(RegistrationLayout layout, CancellationToken cancellationToken) => Settings.Kind switch
    {
        BackendKind.Memory => Task.FromResult<IDiscoveryClient>(_memory.CreateClient()),
        BackendKind.ZooKeeper => CreateZooKeeperAsync(layout, cancellationToken),
        _ => CreateEtcdAsync(cancellationToken),
    };

    /// <summary>
    /// The line for a backend failure. etcd's request deadline is the --timeout too (its RequestTimeout), so when that
    /// deadline passed first the line is the same as when the --timeout did.
    /// </summary>
    private CliException Failure(DiscoveryException reason, Exception thrown, string what)
        => reason is EtcdException { InnerException: TimeoutException }
            ? NoAnswer(thrown, what)
            : new CliException($"{Settings.Description}: {EtcdWording.TlsFailure(reason, Settings) ?? EtcdWording.Other(reason, Settings)}", thrown);

    private CliException NoAnswer(Exception thrown, string what)
        => new($"{Settings.Description} did not {what} within {Settings.Timeout.TotalSeconds:0.###}s", thrown);
}

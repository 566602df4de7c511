using SdKit.Client;
using Xunit;

namespace SdKit.Testing.Conformance;

/// <summary>
/// The behaviour every <see cref="IDiscoveryClient"/> must show, as xunit tests a backend's test project inherits:
/// listing, watching (full snapshots, a missing path that fills in), registering, exact and idempotent
/// deregistration, the connection state stream, and a killed session (Lost, entries gone, Reconnected).
/// </summary>
/// <remarks>
/// <para>A backend subclasses this once and implements two hooks: <see cref="CreateClientAsync"/> (a connected
/// client of a server the subclass owns, normally through a shared class fixture) and
/// <see cref="KillSessionAsync"/> (end the client's session or lease on the server side, as an expiry would). The
/// subclass may override <see cref="NewServicePath"/> (a fresh path per test) and <see cref="EventTimeout"/>
/// (how long to wait for an event, for example longer than a session timeout).</para>
/// <para>Every client the tests create is disposed after each test. Tests of one class run one after another
/// (xunit's default), so a single server is enough.</para>
/// </remarks>
public abstract partial class DiscoveryClientConformanceTests : IAsyncLifetime
{
    private readonly List<IDiscoveryClient> _clients = [];
    private readonly CancellationTokenSource _testEnd = new();

    /// <summary>Gets how long a test waits for an expected snapshot or state before it fails.</summary>
    protected virtual TimeSpan EventTimeout => TimeSpan.FromSeconds(30);

    /// <summary>Creates a new client, connected (its state <see cref="ConnectionState.Connected"/>), with its own session.</summary>
    /// <returns>The client; the suite disposes it after the test.</returns>
    protected abstract ValueTask<IDiscoveryClient> CreateClientAsync();

    /// <summary>
    /// Ends <paramref name="client"/>'s session or lease on the server side, as an expiry would: its entries vanish
    /// and the client must report <see cref="ConnectionState.Lost"/>, then recover by itself and report
    /// <see cref="ConnectionState.Reconnected"/>. The hook may return before the client notices.
    /// </summary>
    /// <param name="client">A client made by <see cref="CreateClientAsync"/>.</param>
    /// <returns>A task that completes when the session is gone on the server.</returns>
    protected abstract ValueTask KillSessionAsync(IDiscoveryClient client);

    /// <summary>Returns a service path no other test uses, for example <c>/sdkit-conformance/3f2a…/svc</c>.</summary>
    /// <returns>A fresh service path.</returns>
    protected virtual string NewServicePath() => $"/sdkit-conformance/{Guid.NewGuid():N}/svc";

    /// <summary>Gets a token cancelled when the test ends, for watches the test starts.</summary>
    protected CancellationToken TestEnd => _testEnd.Token;

    /// <inheritdoc/>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        await _testEnd.CancelAsync().ConfigureAwait(false);
        foreach (var client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        _testEnd.Dispose();
    }

    /// <summary>Creates a client through <see cref="CreateClientAsync"/> and disposes it after the test.</summary>
    /// <returns>The client.</returns>
    protected async Task<IDiscoveryClient> ConnectAsync()
    {
        var client = await CreateClientAsync().ConfigureAwait(false);
        _clients.Add(client);
        return client;
    }

    /// <summary>Consumes <see cref="IDiscoveryClient.WatchAsync"/> in the background into a recorder of sorted snapshots.</summary>
    /// <param name="client">The client to watch through.</param>
    /// <param name="servicePath">The path to watch.</param>
    /// <returns>The recorder; its <see cref="ObservationRecorder{T}.Error"/> holds a failure of the watch.</returns>
    protected ObservationRecorder<string[]> Watch(IDiscoveryClient client, string servicePath)
    {
        ArgumentNullException.ThrowIfNull(client);
        var recorder = new ObservationRecorder<string[]>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var snapshot in client.WatchAsync(servicePath, TestEnd).ConfigureAwait(false))
                {
                    recorder.OnNext(Sorted(snapshot));
                }

                recorder.OnCompleted();
            }
            catch (OperationCanceledException) when (TestEnd.IsCancellationRequested)
            {
                recorder.OnCompleted();
            }
#pragma warning disable CA1031 // The failure is handed to the test through the recorder.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                recorder.OnError(ex);
            }
        });
        return recorder;
    }

    /// <summary>Waits for a snapshot equal (as a sorted list) to <paramref name="expected"/>.</summary>
    /// <returns>The snapshot.</returns>
    protected Task<string[]> WaitForSnapshotAsync(ObservationRecorder<string[]> recorder, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var sorted = Sorted(expected);
        return recorder.WaitForAsync(s => s.SequenceEqual(sorted, StringComparer.Ordinal), EventTimeout);
    }

    /// <summary>
    /// Waits for a snapshot equal to <paramref name="expected"/> among those received after the first
    /// <paramref name="mark"/> ones (take the mark, from <c>Values.Count</c>, before the action that causes it).
    /// </summary>
    /// <returns>The snapshot.</returns>
    protected Task<string[]> WaitForSnapshotAfterAsync(ObservationRecorder<string[]> recorder, int mark, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var sorted = Sorted(expected);
        return recorder.WaitForNextAsync(mark, s => s.SequenceEqual(sorted, StringComparer.Ordinal), EventTimeout);
    }

    /// <summary>Returns a sorted copy.</summary>
    protected static string[] Sorted(IEnumerable<string> values) => [.. values.Order(StringComparer.Ordinal)];
}

using System.Net;
using SdKit.Cli.Backends;
using SdKit.Client;
using SdKit.Registration;

namespace SdKit.Cli.TimeService;

/// <summary>One time server with its own discovery session and registrar, like one process of the seed.</summary>
internal sealed class RegisteredTimeServer : IAsyncDisposable
{
    private readonly Backend _backend;
    private readonly TimeServer _server;
    private readonly IDiscoveryClient _client;
    private readonly Registrar _registrar;

    private RegisteredTimeServer(Backend backend, TimeServer server, IDiscoveryClient client, Registrar registrar)
    {
        _backend = backend;
        _server = server;
        _client = client;
        _registrar = registrar;
    }

    public string Address => _server.Address;

    public static async Task<RegisteredTimeServer> StartAsync(Backend backend, IPEndPoint endPoint, RegistrationLayout layout, CancellationToken cancellationToken)
    {
        var server = TimeServer.Start(endPoint, TimeProvider.System);
        IDiscoveryClient? client = null;
        try
        {
            client = await backend.ConnectAsync(layout, cancellationToken).ConfigureAwait(false);
            var registrar = new Registrar(client, backend.Entry(server.Address, layout));
            var started = new RegisteredTimeServer(backend, server, client, registrar);
            await backend.WithTimeoutAsync(async token => { await registrar.RegisterAsync(token).ConfigureAwait(false); return true; }, "accept the registration", cancellationToken).ConfigureAwait(false);
            return started;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes the entry, bounded by the timeout.</summary>
    public Task DeregisterAsync()
        => _backend.WithTimeoutAsync(async token => { await _registrar.DeregisterAsync(token).ConfigureAwait(false); return true; }, "accept the deregistration", CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _registrar.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }
}

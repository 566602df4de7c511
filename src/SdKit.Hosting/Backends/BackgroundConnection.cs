using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.Hosting.Backends;

/// <summary>
/// The building block of a remote backend's registration (<c>AddZooKeeper</c>, <c>AddEtcd</c>, a third backend's
/// own): a client that connects in the background, so the container hands it out at once and the application starts
/// while the registry is unreachable. Until connected it reports <see cref="ConnectionState.Suspended"/> and
/// operations wait for the connection (bounded by their cancellation tokens); failed attempts are logged and retried
/// with capped, jittered backoff. It lets a backend package register itself without Hosting knowing the backend.
/// </summary>
public static class BackgroundConnection
{
    /// <summary>Starts connecting with <paramref name="connect"/> and returns the client that stands for the connection.</summary>
    /// <param name="services">The application's services: the clock and the loggers come from them.</param>
    /// <param name="backend">Names the backend and its address in logs and errors, for example <c>etcd http://127.0.0.1:2379</c>.</param>
    /// <param name="connect">Connects once; called again after a failure.</param>
    /// <returns>A client to hand to <see cref="SdKitBuilderExtensions.AddDiscoveryClient"/>; the container disposes it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="backend"/> is empty.</exception>
    public static IDiscoveryClient Start(IServiceProvider services, string backend, Func<CancellationToken, Task<IDiscoveryClient>> connect)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(backend);
        ArgumentNullException.ThrowIfNull(connect);
        var loggers = services.GetRequiredService<ILoggerFactory>();
        return new ConnectingDiscoveryClient(backend, connect, services.GetRequiredService<TimeProvider>(), loggers.CreateLogger<ConnectingDiscoveryClient>());
    }
}

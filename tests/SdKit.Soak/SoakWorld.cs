using System.Globalization;
using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Registration;
using SdKit.Soak.Backends;
using SdKit.Soak.Checking;
using SdKit.Soak.Network;
using SdKit.Soak.Topology;

namespace SdKit.Soak;

/// <summary>
/// Everything under soak: the cluster, the harness's clients (some behind proxies), the in-process registrars, the
/// registrant processes, the watchers, and a separate verifier client that reads the registry directly.
/// </summary>
internal sealed partial class SoakWorld : IAsyncDisposable
{
    private SoakWorld(BackendProfile profile, ISoakCluster cluster, IReadOnlyList<string> servicePaths)
    {
        Profile = profile;
        Cluster = cluster;
        ServicePaths = servicePaths;
    }

    public BackendProfile Profile { get; }

    public ISoakCluster Cluster { get; }

    public IReadOnlyList<string> ServicePaths { get; }

    public List<SoakClient> Clients { get; } = [];

    public List<InProcessRegistration> Registrations { get; } = [];

    public List<RegistrantProcess> Registrants { get; } = [];

    public List<Watcher> Watchers { get; } = [];

    public IDiscoveryClient Verifier { get; private set; } = null!;

    public IReadOnlyList<string> MemberAddresses => [.. Cluster.Members.Select(m => m.ClientAddress)];

    public static async Task<SoakWorld> BuildAsync(SoakOptions options, BackendProfile profile, ILoggerFactory loggers, ErrorWatch errors, Action<string> log)
    {
        log($"starting a three-member {profile.Name} cluster");
        var cluster = await profile.StartClusterAsync().ConfigureAwait(false);
        var paths = Enumerable.Range(0, options.Services).Select(i => $"/soak/svc-{i.ToString("00", CultureInfo.InvariantCulture)}").ToList();
        var world = new SoakWorld(profile, cluster, paths);
        try
        {
            await world.PopulateAsync(options, loggers, errors, log).ConfigureAwait(false);
        }
        catch
        {
            await world.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return world;
    }

    private static string InstanceName(int index) => $"r{index.ToString("00", CultureInfo.InvariantCulture)}.soak:{(8000 + index).ToString(CultureInfo.InvariantCulture)}";

    private async Task PopulateAsync(SoakOptions options, ILoggerFactory loggers, ErrorWatch errors, Action<string> log)
    {
        using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Verifier = await Profile.ConnectAsync(MemberAddresses, loggers, connecting.Token).ConfigureAwait(false);
        for (var i = 0; i < options.InProcessClients; i++)
        {
            // Every other client reaches the cluster through proxies of its own, so its connection can be cut alone.
            var proxied = i % 2 == 1;
            var proxies = proxied ? Cluster.Members.Select(m => new LoopbackProxy(int.Parse(m.ClientAddress.Split(':')[1], CultureInfo.InvariantCulture))).ToList() : [];
            var addresses = proxied ? proxies.Select(p => p.Address).ToList() : MemberAddresses;
            var client = await Profile.ConnectAsync(addresses, loggers, connecting.Token).ConfigureAwait(false);
            Clients.Add(new SoakClient(i, client, proxies));
        }

        log($"{Clients.Count} harness clients connected ({Clients.Count(c => c.IsProxied)} through proxies) and a verifier client");
        var processEntries = options.RegistrantProcesses * options.RegistrarsPerProcess;
        var inProcess = options.Registrars - processEntries;
        for (var i = 0; i < inProcess; i++)
        {
            var client = Clients[i % Clients.Count];
            var entry = new ServiceEntry(ServicePaths[i % ServicePaths.Count], InstanceName(i));
            var registrar = new Registrar(client.Client, entry, SoakTimings.Registrar(), loggers.CreateLogger<Registrar>());
            Registrations.Add(new InProcessRegistration(i, registrar, client.Index) { Wanted = true });
        }

        await Task.WhenAll(Registrations.Select(r => r.Registrar.RegisterAsync())).ConfigureAwait(false);
        log($"{Registrations.Count} in-process registrars registered");
        for (var p = 0; p < options.RegistrantProcesses; p++)
        {
            var entries = Enumerable.Range(inProcess + (p * options.RegistrarsPerProcess), options.RegistrarsPerProcess)
                .Select(i => new ServiceEntry(ServicePaths[i % ServicePaths.Count], InstanceName(i))).ToList();
            var registrant = new RegistrantProcess(p, Profile.Name, MemberAddresses, entries, Path.GetDirectoryName(options.OutputDirectory + "/")!, errors.Report);
            Registrants.Add(registrant);
        }

        await Task.WhenAll(Registrants.Select(r => r.StartAsync())).ConfigureAwait(false);
        log($"{Registrants.Count} registrant processes ready with {processEntries} registrars");
        for (var w = 0; w < options.Instancers; w++)
        {
            var client = Clients[w % Clients.Count];
            var path = ServicePaths[w % ServicePaths.Count];
            var instancer = new Instancer(client.Client, path, SoakTimings.Instancer(), loggers.CreateLogger<Instancer>());
            Watchers.Add(new Watcher(w, path, client, instancer, watcher => new Endpointer<string>(instancer, watcher.Create, null, loggers.CreateLogger<Endpointer<string>>())));
        }

        log($"{Watchers.Count} instancers with endpointers watching {ServicePaths.Count} services");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watcher in Watchers)
        {
            await watcher.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var registration in Registrations)
        {
            await registration.Registrar.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var registrant in Registrants)
        {
            await registrant.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var client in Clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        if (Verifier is not null)
        {
            await Verifier.DisposeAsync().ConfigureAwait(false);
        }

        await Cluster.DisposeAsync().ConfigureAwait(false);
    }
}

using SdKit.Client;
using SdKit.Etcd;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Cli.Backends;

/// <summary>The ZooKeeper and etcd clients.</summary>
internal sealed partial class Backend
{
    private async Task<IDiscoveryClient> CreateZooKeeperAsync(RegistrationLayout layout, CancellationToken cancellationToken)
    {
        var options = new ZooKeeperDiscoveryOptions
        {
            Connection = new ZooKeeperClientOptions { ConnectString = Settings.ZooKeeperHosts!, ConnectTimeout = Settings.Timeout },
            Layout = layout switch
            {
                RegistrationLayout.Named => ZooKeeperNodeLayout.Named,
                RegistrationLayout.Curator => ZooKeeperNodeLayout.Curator,
                _ => ZooKeeperNodeLayout.Protected,
            },
        };
        try
        {
            return await WithTimeoutAsync<IDiscoveryClient>(async token => await ZooKeeperDiscoveryClient.ConnectAsync(options, cancellationToken: token).ConfigureAwait(false), "answer", cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"--zk: {ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal)}", ex);
        }
        catch (Exception ex) when (ex is ZooKeeperException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new CliException($"{Settings.Description}: {ex.Message}", ex);
        }
    }

    private async Task<IDiscoveryClient> CreateEtcdAsync(CancellationToken cancellationToken)
    {
        var options = new EtcdDiscoveryOptions
        {
            // The user's --timeout bounds every operation (WithTimeoutAsync) and each request alike. Whichever ends
            // first, an unreachable etcd reads the same: the client gives up with "could not be reached" before its
            // deadline, and a cancelled request carries that failure as its reason (WithTimeoutAsync reports it).
            RequestTimeout = Settings.Timeout,
            Username = Settings.EtcdUser,
            Password = Settings.EtcdPassword,
            TrustedCaFile = Settings.EtcdCa,
            ClientCertificateFile = Settings.EtcdCert,
            ClientKeyFile = Settings.EtcdKey,
        };
        foreach (var url in Settings.EtcdUrls!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Endpoints.Add(url);
        }

        try
        {
            return await WithTimeoutAsync<IDiscoveryClient>(async token => await EtcdDiscoveryClient.ConnectAsync(options, cancellationToken: token).ConfigureAwait(false), "answer", cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"--etcd: {EtcdWording.WithOptionNames(ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal))}", ex);
        }
    }
}

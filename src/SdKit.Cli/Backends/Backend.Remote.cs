using SdKit.Client;
using SdKit.Etcd;

namespace SdKit.Cli.Backends;

/// <summary>The ZooKeeper and etcd clients.</summary>
internal sealed partial class Backend
{
    private Task<IDiscoveryClient> CreateZooKeeperAsync(RegistrationLayout layout, CancellationToken cancellationToken)
    {
        _ = layout;
        _ = cancellationToken;
        throw new CliException($"{Settings.Description}: the ZooKeeper discovery backend is not part of this build yet");
    }

    private async Task<IDiscoveryClient> CreateEtcdAsync(CancellationToken cancellationToken)
    {
        var options = new EtcdDiscoveryOptions
        {
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
            throw new CliException($"--etcd: {ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal)}", ex);
        }
    }
}

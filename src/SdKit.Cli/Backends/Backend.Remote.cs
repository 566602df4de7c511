using SdKit.Client;

namespace SdKit.Cli.Backends;

/// <summary>The ZooKeeper and etcd clients.</summary>
internal sealed partial class Backend
{
    private IDiscoveryClient CreateZooKeeper(RegistrationLayout layout)
    {
        _ = layout;
        throw new CliException($"{Settings.Description}: the ZooKeeper backend is not part of this build yet");
    }

    private IDiscoveryClient CreateEtcd()
        => throw new CliException($"{Settings.Description}: the etcd backend is not part of this build yet");
}

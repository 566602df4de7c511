using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Instances;
using SdKit.Registration;

namespace SdKit.Hosting;

/// <summary>Makes the core's instancers and registrars with the application's logging and clock.</summary>
internal sealed class CoreComponents(ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    /// <summary>Starts watching <paramref name="servicePath"/>.</summary>
    public IInstancer CreateInstancer(IDiscoveryClient client, string servicePath)
        => new Instancer(client, servicePath, new InstancerOptions { TimeProvider = timeProvider }, loggerFactory.CreateLogger<Instancer>());

    /// <summary>Makes a registrar for <paramref name="entry"/> (it registers only when asked).</summary>
    public IRegistrar CreateRegistrar(IDiscoveryClient client, ServiceEntry entry)
        => new Registrar(client, entry, new RegistrarOptions { TimeProvider = timeProvider }, loggerFactory.CreateLogger<Registrar>());
}

using SdKit.Client;
using SdKit.Registration;

namespace SdKit.Soak.Topology;

/// <summary>A registrar in the harness process, and whether the harness wants it registered right now.</summary>
internal sealed class InProcessRegistration(int index, Registrar registrar, int clientIndex)
{
    public int Index => index;

    public Registrar Registrar => registrar;

    public ServiceEntry Entry => registrar.Entry;

    public int ClientIndex => clientIndex;

    /// <summary>Gets or sets whether the entry should be in the registry (false after a deliberate deregistration).</summary>
    public bool Wanted { get; set; }
}

namespace SdKit.Registration;

/// <summary>The lifecycle of one registration kept by an <see cref="IRegistrar"/>.</summary>
public enum RegistrationState
{
    /// <summary>Not registered yet.</summary>
    Unregistered,

    /// <summary>A registration attempt is under way (first time, or again after a loss).</summary>
    Registering,

    /// <summary>The entry is in the registry.</summary>
    Registered,

    /// <summary>The connection is down; the entry probably still exists but cannot be confirmed.</summary>
    Suspended,

    /// <summary>The session or lease is gone and the entry with it; the registrar will register again.</summary>
    Lost,

    /// <summary>Deregistered on request. No further state follows unless registered again.</summary>
    Deregistered,
}

namespace SdKit.Registration;

/// <summary>
/// Keeps one service entry registered (go-kit's <c>Registrar</c>, made to heal itself): after a session expiry or a
/// lost lease it registers again by itself, with backoff.
/// </summary>
public interface IRegistrar : IAsyncDisposable
{
    /// <summary>Gets the current state.</summary>
    RegistrationState State { get; }

    /// <summary>Gets the states: a subscriber receives the current state at once, then every change.</summary>
    IObservable<RegistrationState> StateChanges { get; }

    /// <summary>
    /// Registers the entry and keeps it registered until <see cref="DeregisterAsync"/> or disposal.
    /// Calling it while registered does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels this first attempt; the registration is then not kept.</param>
    /// <returns>A task that completes when the entry is in the registry.</returns>
    Task RegisterAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the instance string this registrar keeps registered (new metadata, weight, enabled flag) without
    /// deregistering: the entry in the registry is updated in place, and every later registration (after a session
    /// or lease loss) writes the new string.
    /// </summary>
    /// <param name="instance">The new instance string.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>A task that completes when the registry holds the new string, or at once when nothing is registered now.</returns>
    Task UpdateAsync(string instance, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes exactly this registrar's entry and stops keeping it. Idempotent: deregistering what is not
    /// registered succeeds.
    /// </summary>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the entry is gone.</returns>
    Task DeregisterAsync(CancellationToken cancellationToken = default);
}

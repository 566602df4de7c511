using SdKit.Client;

namespace SdKit.Registration;

/// <content>Register, deregister, dispose.</content>
public sealed partial class Registrar
{
    /// <inheritdoc/>
    /// <remarks>
    /// Failures worth retrying (a transient <see cref="DiscoveryException"/>, a timeout) are retried with backoff until
    /// <paramref name="cancellationToken"/> fires; a refusal that will repeat (bad input, no permission) is thrown.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The registrar was disposed.</exception>
    /// <exception cref="OperationCanceledException">The registration was cancelled; it is not kept.</exception>
    public async Task RegisterAsync(CancellationToken cancellationToken = default)
    {
        // Disposal cancels a registration still retrying, so that DisposeAsync never waits for a backend to return.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            await RegisterCoreAsync(attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(GetType().Name, "The registrar was disposed while registering.");
        }
    }

    private async Task RegisterCoreAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsKeeping)
            {
                return;
            }

            var previous = State;
            SetState(RegistrationState.Registering);
            var backoff = new Backoff(_options.Backoff, _options.TimeProvider);
            while (true)
            {
                try
                {
                    var span = StartRegisterSpan(StartReason, backoff.Attempts + 1);
                    try
                    {
                        _registration = await _client.RegisterAsync(_entry, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        EndRegisterSpan(span, null, ex);
                        throw;
                    }

                    EndRegisterSpan(span, _registration, null);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && FailureKinds.IsTransient(ex))
                {
                    var delay = backoff.Next();
                    LogRegisterFailed(_logger, _entry.ServicePath, _entry.Instance, backoff.Attempts, delay, ex);
                    try
                    {
                        await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        SetState(previous);
                        throw;
                    }
                }
                catch
                {
                    SetState(previous);
                    throw;
                }
            }

            LogRegistered(_logger, _entry.ServicePath, _entry.Instance, _registration.Key);
            SetState(RegistrationState.Registered);
            _keeper = new Keeper(this);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="DiscoveryException">The backend could not be reached; the registrar stays stopped and the
    /// entry vanishes with the client's session or lease. Calling again retries the removal.</exception>
    public async Task DeregisterAsync(CancellationToken cancellationToken = default)
    {
        // Stop the keeper first, outside the gate: it may be waiting for the gate itself.
        Keeper? keeper;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            keeper = _keeper;
            _keeper = null;
        }
        finally
        {
            _gate.Release();
        }

        if (keeper is not null)
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wasKept = keeper is not null || _registration is not null || _staleRegistration is not null;
            foreach (var handle in new[] { _registration, _staleRegistration })
            {
                if (handle is not null)
                {
                    var span = StartDeregisterSpan(handle);
                    try
                    {
                        await _client.DeregisterAsync(handle, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        EndRegisterSpan(span, null, ex);
                        throw;
                    }

                    EndRegisterSpan(span, null, null);

                    LogDeregistered(_logger, _entry.ServicePath, _entry.Instance, handle.Key);
                }
            }

            _registration = null;
            _staleRegistration = null;
            EndLostSpan(null, "Deregistered before the entry was registered again.");
            if (wasKept || State != RegistrationState.Unregistered)
            {
                SetState(RegistrationState.Deregistered);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deregisters (bounded by <see cref="RegistrarOptions.DeregisterOnDisposeTimeout"/>) and stops.</summary>
    /// <returns>A task that completes when the registrar has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        var alreadyDisposed = _disposed;
        _disposed = true;
        _gate.Release();
        if (alreadyDisposed)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(_options.DeregisterOnDisposeTimeout, _options.TimeProvider))
        {
            try
            {
                await DeregisterAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Disposal must not throw; the entry vanishes with the session or lease anyway.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogDeregisterOnDisposeFailed(_logger, _entry.ServicePath, _entry.Instance, ex);
            }
        }

        _states.Complete();
    }
}

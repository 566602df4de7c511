using System.Reactive;
using System.Threading.Channels;
using SdKit.Client;

namespace SdKit.Registration;

/// <content>The keeper: follows the client's connection state and registers again after a loss.</content>
public sealed partial class Registrar
{
    /// <summary>
    /// One keeping period, from a successful <see cref="RegisterAsync"/> to <see cref="DeregisterAsync"/>. Connection
    /// states arrive through a channel so the backend's thread never waits for the registrar.
    /// </summary>
    private sealed class Keeper : IAsyncDisposable
    {
        private readonly Registrar _owner;
        private readonly Channel<ConnectionState> _signals = Channel.CreateUnbounded<ConnectionState>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();
        private readonly IDisposable _subscription;
        private readonly Task _loop;
        private bool _clientClosed;

        public Keeper(Registrar owner)
        {
            _owner = owner;
            _subscription = owner._client.StateChanges.Subscribe(Observer.Create<ConnectionState>(
                state => _signals.Writer.TryWrite(state),
                _ => _signals.Writer.TryWrite(ConnectionState.Closed),
                () => _signals.Writer.TryWrite(ConnectionState.Closed)));
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }

        public async ValueTask DisposeAsync()
        {
            _subscription.Dispose();
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task RunAsync(CancellationToken stopping)
        {
            var backoff = new Backoff(_owner._options.Backoff, _owner._options.TimeProvider);
            try
            {
                while (true)
                {
                    while (_signals.Reader.TryRead(out var state))
                    {
                        await ApplyAsync(state, backoff, stopping).ConfigureAwait(false);
                    }

                    if (!NeedsRegistration)
                    {
                        await _signals.Reader.WaitToReadAsync(stopping).ConfigureAwait(false);
                    }
                    else if (!await TryRegisterAsync(backoff, stopping).ConfigureAwait(false))
                    {
                        await WaitForSignalAsync(backoff.Next(), stopping).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Deregistered or disposed.
            }
        }

        private bool NeedsRegistration => Volatile.Read(ref _owner._registration) is null && !_clientClosed;

        private async Task ApplyAsync(ConnectionState state, Backoff backoff, CancellationToken stopping)
        {
            await _owner._gate.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                switch (state)
                {
                    case ConnectionState.Suspended when _owner._registration is not null:
                        _owner.SetState(RegistrationState.Suspended);
                        break;
                    case ConnectionState.Lost:
                        // Keep the old handle: if the loss raced a registration, deleting it first avoids a duplicate.
                        _owner._staleRegistration = _owner._registration ?? _owner._staleRegistration;
                        _owner._registration = null;
                        LogLost(_owner._logger, _owner._entry.ServicePath, _owner._entry.Instance);
                        _owner.BeginLostSpan(state);
                        _owner.SetState(RegistrationState.Lost);
                        break;
                    case ConnectionState.Connected or ConnectionState.Reconnected:
                        backoff.Reset();
                        if (_owner._registration is not null)
                        {
                            _owner.SetState(RegistrationState.Registered);
                        }

                        break;
                    case ConnectionState.Closed:
                        _clientClosed = true;
                        _owner._registration = null;
                        LogClientClosed(_owner._logger, _owner._entry.ServicePath, _owner._entry.Instance);
                        _owner.BeginLostSpan(state);
                        _owner.EndLostSpan(null, "The discovery client was closed; the entry cannot be registered again.");
                        _owner.SetState(RegistrationState.Lost);
                        break;
                }
            }
            finally
            {
                _owner._gate.Release();
            }
        }

        private async Task<bool> TryRegisterAsync(Backoff backoff, CancellationToken stopping)
        {
            await _owner._gate.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                _owner.SetState(RegistrationState.Registering);
                if (_owner._staleRegistration is { } stale)
                {
                    await _owner._client.DeregisterAsync(stale, stopping).ConfigureAwait(false);
                    _owner._staleRegistration = null;
                }

                RegisteredEntry registration;
                var span = _owner.StartRegisterSpan(RecoveryReason, backoff.Attempts + 1);
                try
                {
                    registration = await _owner._client.RegisterAsync(_owner._entry, stopping).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    EndRegisterSpan(span, null, ex);
                    throw;
                }

                EndRegisterSpan(span, registration, null);
                _owner._registration = registration;
                _owner.EndLostSpan(registration);
                LogReregistered(_owner._logger, _owner._entry.ServicePath, _owner._entry.Instance, registration.Key, backoff.Attempts);
                backoff.Reset();
                _owner.SetState(RegistrationState.Registered);
                return true;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogReregisterFailed(_owner._logger, _owner._entry.ServicePath, _owner._entry.Instance, backoff.Attempts + 1, ex);
                _owner.SetState(RegistrationState.Lost);
                return false;
            }
            finally
            {
                _owner._gate.Release();
            }
        }

        private async Task WaitForSignalAsync(TimeSpan delay, CancellationToken stopping)
        {
            // A new connection state (Reconnected above all) ends the wait early: register as soon as possible.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var signal = _signals.Reader.WaitToReadAsync(wait.Token).AsTask();
            var timer = Task.Delay(delay, _owner._options.TimeProvider, wait.Token);
            await Task.WhenAny(signal, timer).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            stopping.ThrowIfCancellationRequested();
        }
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Instances;

namespace SdKit.Endpoints;

/// <summary>
/// The one <see cref="IEndpointer{T}"/>: follows an <see cref="IInstancer"/> and keeps one endpoint per instance,
/// made by an <see cref="EndpointFactory{T}"/>.
/// </summary>
/// <remarks>
/// <para>The factory runs once per new instance, on the instancer's delivery thread and never under a lock that
/// readers take; duplicate instance strings make one endpoint. Closers of removed instances are disposed, and every
/// remaining one on <see cref="DisposeAsync"/> (go-kit leaks both).</para>
/// <para>An instancer error keeps the last endpoints, unless <see cref="EndpointerOptions.InvalidateOnError"/> says
/// how long they may outlive it.</para>
/// </remarks>
/// <typeparam name="T">The endpoint type.</typeparam>
public sealed partial class Endpointer<T> : IEndpointer<T>, IObserver<InstanceEvent>
{
    private readonly EndpointFactory<T> _factory;
    private readonly EndpointerOptions _options;
    private readonly ILogger _logger;
    private readonly Broadcaster<IReadOnlyList<T>> _sets;
    private readonly ClosingQueue _closing;
    private readonly object _writeGate = new();
    private readonly IDisposable _subscription;
    private EndpointSet<T> _current = EndpointSet<T>.Empty;
    private bool _disposed;

    /// <summary>Initializes a new endpointer and builds the endpoints of the instancer's current event at once.</summary>
    /// <param name="instancer">The instances to follow. Not owned: disposing the endpointer leaves it running.</param>
    /// <param name="factory">Makes an endpoint from an instance string.</param>
    /// <param name="options">Invalidation and clock; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where factory failures and instancer errors are logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="instancer"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    public Endpointer(IInstancer instancer, EndpointFactory<T> factory, EndpointerOptions? options = null, ILogger<Endpointer<T>>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(instancer);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= new EndpointerOptions();
        options.Validate();
        _factory = factory;
        _options = new EndpointerOptions { InvalidateOnError = options.InvalidateOnError, TimeProvider = options.TimeProvider };
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _closing = new ClosingQueue(_logger);
        _sets = new Broadcaster<IReadOnlyList<T>>(EndpointSet<T>.Empty, ex => EndpointerLog.SubscriberFailed(_logger, ex));
        _subscription = instancer.Subscribe(this);
    }

    /// <inheritdoc/>
    public EndpointSet<T> Current => Volatile.Read(ref _current);

    /// <summary>Gets <see cref="Current"/> without interface dispatch, for the built-in balancers.</summary>
    internal EndpointSet<T> CurrentSet => Volatile.Read(ref _current);

    /// <inheritdoc/>
    public IReadOnlyList<T> Endpoints
    {
        get
        {
            var set = Volatile.Read(ref _current);
            set.ThrowIfUnavailable();
            return set;
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<IReadOnlyList<T>> observer) => _sets.Subscribe(observer);

    /// <summary>Stops following the instancer and disposes every closer, removed or current.</summary>
    /// <returns>A task that completes when every closer has been disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        lock (_writeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CancelDeadlineLocked();
            _closing.Enqueue(_current.Closers);
            Volatile.Write(ref _current, EndpointSet<T>.Failed(new ObjectDisposedException(GetType().Name, "The endpointer was disposed.")));
        }

        await _closing.DisposeAsync().ConfigureAwait(false);
        _sets.Complete();
    }

    /// <summary>Applies one instancer event (the instancer serializes calls).</summary>
    /// <param name="value">The event.</param>
    void IObserver<InstanceEvent>.OnNext(InstanceEvent value) => Apply(value);

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnError(Exception error) => Apply(InstanceEvent.Empty.WithError(error));

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnCompleted()
    {
        // The instancer was disposed: keep the last endpoints until this endpointer is disposed too.
    }

    private void Publish(EndpointSet<T> next)
    {
        Volatile.Write(ref _current, next);
        _sets.Publish(next);
    }
}

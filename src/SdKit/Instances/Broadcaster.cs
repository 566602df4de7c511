namespace SdKit.Instances;

/// <summary>
/// A current value plus every later value, delivered to each subscriber through its own queue, so that a slow,
/// blocking or throwing subscriber never delays the publisher or any other subscriber (go-kit sends under a lock
/// and can deadlock, kit#626).
/// </summary>
/// <remarks>
/// <para>Each subscriber sees the values in publish order, starting with the value current when it subscribed;
/// that first value is delivered on the subscribing thread, the rest on the thread pool, never two at once.</para>
/// <para>Publishing takes a short lock only to order values against subscriptions; it never calls an observer.</para>
/// </remarks>
/// <typeparam name="T">The value type.</typeparam>
internal sealed partial class Broadcaster<T> : IObservable<T>
{
    private readonly object _gate = new();
    private readonly Action<Exception> _onObserverError;
    private Subscription[] _subscribers = [];
    private T _current;
    private bool _completed;

    /// <summary>Initializes a broadcaster holding <paramref name="initial"/>.</summary>
    /// <param name="initial">The value a subscriber receives before anything is published.</param>
    /// <param name="onObserverError">Called (on the delivering thread) when an observer throws; must not throw.</param>
    public Broadcaster(T initial, Action<Exception> onObserverError)
    {
        _current = initial;
        _onObserverError = onObserverError;
    }

    /// <summary>Gets the most recently published value.</summary>
    public T Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Gets the number of live subscriptions.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Stores <paramref name="value"/> and queues it to every subscriber. Ignored after <see cref="Complete"/>.</summary>
    /// <param name="value">The new value.</param>
    public void Publish(T value)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _current = value;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Enqueue(new Notification(value, completed: false));
            }
        }
    }

    /// <summary>Queues completion to every subscriber; later subscribers complete at once.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Enqueue(new Notification(default!, completed: true));
            }

            _subscribers = [];
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscription = new Subscription(this, observer);
        lock (_gate)
        {
            if (_completed)
            {
                subscription.Enqueue(new Notification(default!, completed: true), schedule: false);
            }
            else
            {
                subscription.Enqueue(new Notification(_current, completed: false), schedule: false);
                _subscribers = [.. _subscribers, subscription];
            }
        }

        subscription.DrainInline();
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index < 0)
            {
                return;
            }

            var copy = new Subscription[_subscribers.Length - 1];
            Array.Copy(_subscribers, 0, copy, 0, index);
            Array.Copy(_subscribers, index + 1, copy, index, copy.Length - index);
            _subscribers = copy;
        }
    }

    private readonly struct Notification(T value, bool completed)
    {
        public T Value { get; } = value;

        public bool Completed { get; } = completed;
    }
}

namespace SdKit.Endpoints;

/// <summary>An <see cref="IEndpointer{T}"/> over a fixed list (go-kit's <c>FixedEndpointer</c>), for tests and static setups.</summary>
/// <typeparam name="T">The endpoint type.</typeparam>
public sealed class FixedEndpointer<T> : IEndpointer<T>
{
    private readonly EndpointSet<T> _set;

    /// <summary>Initializes a new endpointer over <paramref name="endpoints"/>, in the given order.</summary>
    /// <param name="endpoints">The endpoints.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    public FixedEndpointer(IEnumerable<T> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var items = endpoints.ToArray();
        var names = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            names[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _set = EndpointSet<T>.Create(items, names, null);
    }

    /// <inheritdoc/>
    public EndpointSet<T> Current => _set;

    /// <inheritdoc/>
    public IReadOnlyList<T> Endpoints => _set;

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<IReadOnlyList<T>> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        observer.OnNext(_set);
        return System.Reactive.Disposables.Disposable.Empty;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

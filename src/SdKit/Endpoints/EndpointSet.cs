using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SdKit.Endpoints;

/// <summary>
/// One immutable set of endpoints, in instance order, as an <see cref="IEndpointer{T}"/> publishes it. Reading it is
/// free of locks and allocations; every change produces a new set.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
public sealed class EndpointSet<T> : IReadOnlyList<T>
{
    private EndpointSet(T[] endpoints, string[] instances, IAsyncDisposable?[]? closers, Exception? error)
    {
        Items = endpoints;
        InstanceArray = instances;
        Closers = closers;
        Error = error;
        ModMultiplier = endpoints.Length == 0 ? 0 : (ulong.MaxValue / (uint)endpoints.Length) + 1;
    }

    internal static EndpointSet<T> Empty { get; } = new([], [], null, null);

    /// <summary>Gets the number of endpoints.</summary>
    public int Count => Items.Length;

    /// <summary>
    /// Gets the error that invalidated the endpoints (see <see cref="EndpointerOptions.InvalidateOnError"/>), or
    /// <see langword="null"/>. A set with an error is empty.
    /// </summary>
    public Exception? Error { get; }

    /// <summary>Gets the instance string each endpoint was made from, in the same order as the endpoints.</summary>
    public ImmutableArray<string> Instances => ImmutableCollectionsMarshal.AsImmutableArray(InstanceArray);

    internal T[] Items { get; }

    internal string[] InstanceArray { get; }

    /// <summary>
    /// Gets the multiplier that maps a 32-bit counter onto a position with two multiplications instead of a division
    /// (Lemire's fastmod: <c>hi64(lo64(M * n) * count)</c> = <c>n % count</c>); a 32-bit division costs several
    /// nanoseconds on the pick path of a round robin.
    /// </summary>
    internal ulong ModMultiplier { get; }

    /// <summary>Gets the closers by position, or <see langword="null"/> when no endpoint has one.</summary>
    internal IAsyncDisposable?[]? Closers { get; }

    /// <summary>Gets the endpoint at <paramref name="index"/>.</summary>
    /// <param name="index">The position, from 0.</param>
    public T this[int index] => Items[index];

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    /// <summary>Throws when this set carries an error, as every reader and balancer does.</summary>
    /// <exception cref="EndpointsUnavailableException">The set was invalidated by an instancer error.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ThrowIfUnavailable()
    {
        if (Error is not null)
        {
            ThrowUnavailable(Error);
        }
    }

    internal static EndpointSet<T> Create(T[] endpoints, string[] instances, IAsyncDisposable?[]? closers)
        => endpoints.Length == 0 ? Empty : new(endpoints, instances, closers, null);

    internal static EndpointSet<T> Failed(Exception error) => new([], [], null, error);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUnavailable(Exception error) => throw new EndpointsUnavailableException(error);
}

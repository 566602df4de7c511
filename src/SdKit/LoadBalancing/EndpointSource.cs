using System.Runtime.CompilerServices;
using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Reads an endpointer's current set: straight from the field when it is the built-in <see cref="Endpointer{T}"/>
/// (no interface dispatch on the pick path), through <see cref="IEndpointer{T}.Current"/> otherwise.
/// </summary>
internal readonly struct EndpointSource<T>(IEndpointer<T> endpointer)
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EndpointSet<T> Read() => _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
}

namespace SdKit.Endpoints;

/// <summary>
/// Turns one instance string into an endpoint (go-kit's <c>Factory</c>): a client, a channel, a delegate that calls
/// the instance. The optional closer is disposed when the instance leaves the set or the endpointer is disposed.
/// </summary>
/// <remarks>
/// An <see cref="Endpointer{T}"/> calls the factory once per new instance, never under a lock that readers take.
/// A factory that throws is logged; the instance is left out and tried again on the next event.
/// </remarks>
/// <typeparam name="T">The endpoint type.</typeparam>
/// <param name="instance">The instance string, for example <c>127.0.0.1:8080</c>.</param>
/// <returns>The endpoint, and what to dispose when it is no longer used (or <see langword="null"/>).</returns>
public delegate (T Endpoint, IAsyncDisposable? Closer) EndpointFactory<T>(string instance);

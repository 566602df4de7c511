namespace SdKit.LoadBalancing;

/// <summary>One remote call (go-kit's <c>endpoint.Endpoint</c>): a request in, a response out, cancellable.</summary>
/// <typeparam name="TRequest">The request type.</typeparam>
/// <typeparam name="TResponse">The response type.</typeparam>
/// <param name="request">The request.</param>
/// <param name="cancellationToken">Cancels the call.</param>
/// <returns>The response.</returns>
public delegate ValueTask<TResponse> Endpoint<in TRequest, TResponse>(TRequest request, CancellationToken cancellationToken);

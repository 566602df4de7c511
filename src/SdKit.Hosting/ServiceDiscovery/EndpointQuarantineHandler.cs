using System.Net.Http;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Sits inside Microsoft.Extensions.ServiceDiscovery's resolving handler, where the request already carries the chosen
/// instance's address: a call that could not connect there (<see cref="HttpRequestError.ConnectionError"/>: refused,
/// unreachable, connect timeout) puts the address in the <see cref="EndpointQuarantine"/> before the error travels on
/// to the retry outside, whose next attempt is then resolved without it.
/// </summary>
/// <remarks>
/// Only connection failures count: the request never reached the instance, so nothing is known about its answers, and
/// moving the call elsewhere is safe for any method. An HTTP 500 or a reset in mid-response says nothing about the
/// next connection and is left to the application's own resilience policy.
/// </remarks>
internal sealed class EndpointQuarantineHandler(EndpointQuarantine quarantine) : DelegatingHandler
{
    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError && request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            quarantine.Quarantine(EndpointQuarantine.KeyOf(uri), ex);
            throw;
        }
    }
}

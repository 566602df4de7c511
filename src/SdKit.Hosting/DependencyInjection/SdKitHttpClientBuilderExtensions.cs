using System.Net.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SdKit.Hosting.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>SdKit's HttpClient setup: service discovery that survives a crashed instance.</summary>
public static class SdKitHttpClientBuilderExtensions
{
    /// <summary>The base of the waits before the second and later connection retries (10 ms, then 20 ms, ...).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Resolves <c>http://{service}</c> through SdKit (Microsoft.Extensions.ServiceDiscovery's <c>AddServiceDiscovery</c>)
    /// and makes a crashed instance cost no call while another is healthy: a call that cannot connect is retried at
    /// once on the next instance (a Microsoft.Extensions.Http.Resilience retry, outside the resolver, so each attempt is
    /// resolved again), and the address that refused is left out of the service's endpoints for
    /// <c>SdKit:Quarantine:Duration</c>, long before the registry drops it. Use it instead of
    /// <c>AddServiceDiscovery()</c>, not with it; a standard resilience handler added before it stays in charge of
    /// everything else (timeouts, HTTP 5xx, circuit breaking).
    /// </summary>
    /// <param name="builder">The HTTP client's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddSdKitServiceDiscovery(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Outermost to innermost: the retry, the resolver (a new instance per attempt), the quarantine (which sees the
        // address the resolver chose), then the connection.
        builder.AddResilienceHandler("sdkit-connect-retry", static (pipeline, context) =>
        {
            var retries = context.ServiceProvider.GetRequiredService<IOptions<EndpointQuarantineOptions>>().Value.ConnectRetries;
            if (retries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retries,

                    // The first retry goes at once (the resolver's next instance is usually a live one). Later ones wait
                    // a little: by then the caller has met the dead instance again, because the quarantine's refresh of
                    // the resolver had not landed or other callers took the live one in between, and a few
                    // milliseconds let the refresh land so the last attempts are not spent on the same address.
                    Delay = RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = false,
                    DelayGenerator = static args => ValueTask.FromResult<TimeSpan?>(args.AttemptNumber == 0 ? TimeSpan.Zero : null),
                    ShouldHandle = static args => ValueTask.FromResult(IsSafeToRetryElsewhere(args.Outcome.Exception, args.Context.GetRequestMessage())),
                });
            }
        });
        builder.AddServiceDiscovery();
        builder.AddHttpMessageHandler(services => new EndpointQuarantineHandler(services.GetRequiredService<EndpointQuarantine>()));
        return builder;
    }

    /// <summary>
    /// Whether another instance may be tried: the connection could not be made (the request never left, whatever its
    /// method), or the connection broke before any response for a method HTTP defines as idempotent (a GET in flight on
    /// an instance that was killed: it may have run there, and running it again changes nothing).
    /// </summary>
    internal static bool IsSafeToRetryElsewhere(Exception? error, HttpRequestMessage? request) => error switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        HttpRequestException { StatusCode: null } => request is not null && IsIdempotent(request.Method),
        _ => false,
    };

    private static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace
            || method == HttpMethod.Put || method == HttpMethod.Delete;
}

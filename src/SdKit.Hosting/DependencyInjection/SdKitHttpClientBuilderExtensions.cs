using System.Net.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SdKit.Hosting.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>SdKit's HttpClient setup: service discovery that survives a crashed instance.</summary>
public static class SdKitHttpClientBuilderExtensions
{
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
                    Delay = TimeSpan.Zero,
                    BackoffType = DelayBackoffType.Constant,
                    UseJitter = false,
                    ShouldHandle = static args => ValueTask.FromResult(IsConnectionFailure(args.Outcome.Exception)),
                });
            }
        });
        builder.AddServiceDiscovery();
        builder.AddHttpMessageHandler(services => new EndpointQuarantineHandler(services.GetRequiredService<EndpointQuarantine>()));
        return builder;
    }

    /// <summary>Whether the request never reached the instance: safe to send elsewhere, whatever its method.</summary>
    private static bool IsConnectionFailure(Exception? error) => error is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
}

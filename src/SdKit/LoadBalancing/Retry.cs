using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Client;
using SdKit.Diagnostics;

namespace SdKit.LoadBalancing;

/// <summary>
/// Wraps a balancer into one endpoint that tries again on another instance (go-kit's <c>lb.Retry</c>): at most
/// <see cref="RetryOptions.MaxAttempts"/> attempts in all, one <see cref="RetryOptions.Timeout"/> across them, a
/// balancer error counted as an attempt, and a <see cref="RetryException"/> carrying every error and the final one.
/// </summary>
/// <remarks>
/// Beyond go-kit: a short backoff between attempts (go-kit retries a failing endpoint thousands of times in
/// milliseconds), retries that prefer instances this call has not tried, and call outcomes reported to the
/// balancer (see <see cref="Balancers.LeastOutstanding{T}"/>). When the timeout runs out a
/// <see cref="TimeoutException"/> is thrown (the errors so far in its inner <see cref="RetryException"/>); when the
/// caller cancels, an <see cref="OperationCanceledException"/>.
/// </remarks>
public static partial class Retry
{
    /// <summary>Creates the retrying endpoint.</summary>
    /// <typeparam name="TRequest">The request type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="balancer">Picks the endpoint of each attempt.</param>
    /// <param name="options">Attempts, timeout, callback, backoff; <see langword="null"/> for the defaults. Copied.</param>
    /// <param name="logger">Where failed attempts are logged (at debug level).</param>
    /// <returns>One endpoint for the caller.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="balancer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static Endpoint<TRequest, TResponse> Create<TRequest, TResponse>(
        IBalancer<Endpoint<TRequest, TResponse>> balancer, RetryOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        options ??= new RetryOptions();
        options.Validate();
        var copy = options.Clone();
        var log = logger ?? NullLogger.Instance;
        return (request, cancellationToken) => CallAsync(balancer, copy, log, request, cancellationToken);
    }

    private static async ValueTask<TResponse> CallAsync<TRequest, TResponse>(
        IBalancer<Endpoint<TRequest, TResponse>> balancer, RetryOptions options, ILogger logger, TRequest request, CancellationToken cancellationToken)
    {
        using var timeout = options.Timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(options.Timeout, options.TimeProvider);
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked?.Token ?? cancellationToken;
        var maxAttempts = Math.Max(1, options.MaxAttempts);
        var errors = new List<Exception>();
        var tried = options.PreferUntried ? new List<Endpoint<TRequest, TResponse>>() : null;
        Backoff? backoff = null;
        using var call = StartCallSpan(maxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            Exception error;
            var attemptSpan = StartAttemptSpan(call, attempt);
            try
            {
                var lease = balancer.Acquire(tried);
                attemptSpan?.SetTag(SdKitSpanAttributes.Instance, lease.Instance);
                try
                {
                    var response = await lease.Endpoint(request, token).ConfigureAwait(false);
                    lease.Complete();
                    EndAttemptSpan(attemptSpan, null);
                    EndCallSpan(call, attempt, "ok");
                    return response;
                }
                catch (Exception ex)
                {
                    lease.Complete(ex);
                    tried?.Add(lease.Endpoint);
                    throw;
                }
            }
            catch (OperationCanceledException ex) when (token.IsCancellationRequested)
            {
                EndAttemptSpan(attemptSpan, ex);
                EndCallSpan(call, attempt, cancellationToken.IsCancellationRequested ? "cancelled" : "timeout");
                throw Cancelled(options, errors, attempt, cancellationToken);
            }
            catch (Exception ex)
            {
                error = ex;
                EndAttemptSpan(attemptSpan, ex);
            }

            errors.Add(error);
            LogAttemptFailed(logger, attempt, maxAttempts, error);
            var (keepTrying, replacement) = options.Callback?.Invoke(attempt, error) ?? (true, null);
            if (!keepTrying || attempt >= maxAttempts)
            {
                EndCallSpan(call, attempt, keepTrying ? "exhausted" : "stopped");
                SdKitMetrics.RetryFailures.Add(1, new TagList { { SdKitMetrics.OutcomeTag, keepTrying ? "exhausted" : "stopped" } });
                throw new RetryException(errors, replacement ?? error);
            }

            backoff ??= new Backoff(options.Backoff, options.TimeProvider);
            try
            {
                await backoff.DelayAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                EndCallSpan(call, attempt, cancellationToken.IsCancellationRequested ? "cancelled" : "timeout");
                throw Cancelled(options, errors, attempt, cancellationToken);
            }

            SdKitMetrics.Retries.Add(1);
        }
    }

    private static Exception Cancelled(RetryOptions options, List<Exception> errors, int attempts, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The call was cancelled by the caller.", callerToken);
        }

        SdKitMetrics.RetryFailures.Add(1, new TagList { { SdKitMetrics.OutcomeTag, "timeout" } });
        var inner = errors.Count == 0 ? null : new RetryException(errors, errors[^1]);
        return new TimeoutException($"The call timed out after {options.Timeout} and {attempts} attempts.", inner);
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Attempt {Attempt} of {MaxAttempts} failed.")]
    private static partial void LogAttemptFailed(ILogger logger, int attempt, int maxAttempts, Exception exception);
}

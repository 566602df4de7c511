using Grpc.Core;

namespace SdKit.Etcd;

/// <summary>Failover of a request that never reached a member, and what the caller sees when none could be reached.</summary>
internal sealed partial class EtcdConnection
{
    /// <summary>
    /// Runs the call; when it never reached a member (the connection was refused or could not be made), tries again
    /// within the same deadline, after a short pause that grows with each attempt. The channel has no gRPC-level
    /// retries, so this is what moves a request off a member that just died (the picker may offer the dead member
    /// again until it has seen the refusal); anything that may have reached etcd is not repeated.
    /// </summary>
    /// <remarks>
    /// When no member could be reached and too little time is left for another pause and attempt (or the deadline
    /// passed during the pause), the caller gets that transport failure ("could not be reached", transient), not a
    /// timeout: nothing was ever sent, so nothing went unanswered. A caller that cancels meanwhile gets
    /// <see cref="OperationCanceledException"/>, with that transport failure inside as the reason the request was
    /// still pending: the caller's own bound always wins over etcd's deadline.
    /// </remarks>
    private async Task<T> CallFailingOverAsync<T>(string operation, string subject, Func<DateTime, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = Deadline();
        EtcdException? unreachable = null;
        for (var attempt = 1; ; attempt++)
        {
            if (unreachable is not null && _time.GetUtcNow().UtcDateTime >= deadline)
            {
                // The pause ran past the deadline (a busy machine): an attempt now would only report the deadline.
                throw GiveUp(unreachable, operation, subject, cancellationToken);
            }

            try
            {
                return await call(deadline, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (NeverSent(ex))
            {
                unreachable = Unreachable(operation, subject, NeverSentReason(ex), ex);
            }
            catch (RpcException) when (unreachable is not null && cancellationToken.IsCancellationRequested)
            {
                // Cancelled while trying again: the reason the request was still pending is that no member answered.
                throw GiveUp(unreachable, operation, subject, cancellationToken);
            }

            // Another member may answer: the round-robin picker moves on once the refusal is known. The next attempt
            // needs time of its own after the pause; without it the deadline would turn the refusal into a timeout.
            var pause = NeverSentPause(attempt);
            if (cancellationToken.IsCancellationRequested || _time.GetUtcNow().UtcDateTime + pause + pause >= deadline)
            {
                throw GiveUp(unreachable, operation, subject, cancellationToken);
            }

            try
            {
                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw GiveUp(unreachable, operation, subject, cancellationToken);
            }
        }
    }

    /// <summary>The failure to throw when no member could be reached: cancellation when the caller cancelled, else the transport failure.</summary>
    private static Exception GiveUp(EtcdException unreachable, string operation, string subject, CancellationToken cancellationToken)
        => cancellationToken.IsCancellationRequested
            ? new OperationCanceledException($"etcd {operation} of '{subject}' was cancelled: {unreachable.Message}", unreachable, cancellationToken)
            : unreachable;

    private EtcdException Unreachable(string operation, string subject, string reason, Exception inner)
        => new($"etcd at {Endpoints} could not be reached for {operation} of '{subject}': {reason}", inner, isTransient: true);

    /// <summary>The innermost cause of a refused call (the socket's "Connection refused"), else gRPC's detail.</summary>
    private static string NeverSentReason(RpcException ex)
        => ex.Status.DebugException?.GetBaseException().Message is { Length: > 0 } cause ? cause : ex.Status.Detail;

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 of a request that never left: 20 ms, growing to 200 ms.</summary>
    private static TimeSpan NeverSentPause(int attempt) => TimeSpan.FromMilliseconds(Math.Min(200, 20 * attempt));

    /// <summary>Whether the call failed before its request could reach any member.</summary>
    private static bool NeverSent(RpcException ex)
        => ex.StatusCode == StatusCode.Unavailable
        && (ex.Status.Detail.StartsWith("Error connecting to subchannel", StringComparison.Ordinal)
            || (ex.Status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal) && ex.Status.Detail.Contains("Connection refused", StringComparison.Ordinal)));
}

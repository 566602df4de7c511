using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The calls in flight on one subchannel, counted by the channel itself: it calls <see cref="Start"/> when a call
/// picked for the subchannel starts and <see cref="Complete"/> when it ends. One counter lives as long as its
/// subchannel, so counts survive the new picker every subchannel state change brings.
/// </summary>
/// <remarks>
/// It also remembers, for <see cref="RefusalMemory"/>, that a call could not connect. A killed server's subchannel
/// stays Ready until its transport notices, and meanwhile its calls fail at once, so it always has the fewest calls
/// in flight: least-outstanding would send it more of them, and a retry could spend every attempt there. The pickers
/// pass over a refusing subchannel while another one is left.
/// </remarks>
internal sealed class OutstandingCalls : ISubchannelCallTracker
{
    /// <summary>How long a refused connection keeps a subchannel out of the picks, while its transport catches up.</summary>
    public static readonly TimeSpan RefusalMemory = TimeSpan.FromSeconds(2);

    private int _count;
    private long _refusedUntil;

    /// <summary>Gets the calls in flight now (a moment-old value is as good for a choice).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets whether a call on this subchannel could not connect within the last <see cref="RefusalMemory"/>.</summary>
    public bool Refused
    {
        get
        {
            var until = Volatile.Read(ref _refusedUntil);
            return until != 0 && until > Environment.TickCount64;
        }
    }

    /// <inheritdoc/>
    public void Start() => Interlocked.Increment(ref _count);

    /// <inheritdoc/>
    public void Complete(CompletionContext context)
    {
        Interlocked.Decrement(ref _count);
        if (context.Error is { } error && IsConnectionFailure(error))
        {
            Volatile.Write(ref _refusedUntil, Environment.TickCount64 + (long)RefusalMemory.TotalMilliseconds);
        }
    }

    /// <summary>Whether the call never reached the server: the connection was refused or could not be made.</summary>
    internal static bool IsConnectionFailure(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
                or SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return true;
            }

            if (current is RpcException { Status.DebugException: { } debug } && IsConnectionFailure(debug))
            {
                return true;
            }
        }

        return false;
    }
}

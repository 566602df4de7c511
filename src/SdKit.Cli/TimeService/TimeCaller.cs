using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.LoadBalancing;

namespace SdKit.Cli.TimeService;

/// <summary>
/// The client side of the seed, composed the SdKit way: Instancer -> Endpointer -> Balancer -> Retry, where each
/// endpoint dials one time server.
/// </summary>
internal sealed class TimeCaller : IAsyncDisposable
{
    private readonly Endpointer<Endpoint<string, string>> _endpointer;
    private readonly Endpoint<string, string> _call;

    public TimeCaller(IDiscoveryClient client, string servicePath, BalancerKind balancer, TimeSpan callTimeout)
    {
        Instancer = new Instancer(client, servicePath);
        _endpointer = new Endpointer<Endpoint<string, string>>(Instancer, instance => ((request, token) => TimeClient.CallAsync(instance, token), null));
        var picker = balancer switch
        {
            BalancerKind.RoundRobin => Balancers.RoundRobin(_endpointer),
            BalancerKind.LeastOutstanding => Balancers.LeastOutstanding(_endpointer),
            _ => Balancers.Random(_endpointer),
        };
        _call = Retry.Create(picker, new RetryOptions { MaxAttempts = 3, Timeout = callTimeout });
    }

    /// <summary>Gets the instancer, for watching what the client sees.</summary>
    public Instancer Instancer { get; }

    /// <summary>Waits until the instances satisfy <paramref name="condition"/>.</summary>
    /// <exception cref="CliException">They did not within <paramref name="timeout"/>.</exception>
    public async Task<InstanceEvent> WaitForAsync(Func<InstanceEvent, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        try
        {
            var seen = await Instancer.Where(condition).FirstAsync().ToTask(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

            // The endpointer follows the instancer asynchronously: wait until it has caught up with this set, so the
            // balancer picks from exactly these instances.
            await _endpointer.Where(set => set.Count == seen.Instances.Length).FirstAsync().ToTask(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return seen;
        }
        catch (TimeoutException ex)
        {
            var current = Instancer.Current;
            var error = current.Error is null ? string.Empty : $" (last error: {current.Error.Message})";
            throw new CliException($"{what} within {timeout.TotalSeconds:0.###}s under {Instancer.ServicePath}; it has {current.Instances.Length} instance(s){error}", ex);
        }
    }

    /// <summary>Calls one instance picked by the balancer (retrying on others) and returns its reply.</summary>
    public ValueTask<string> CallAsync(CancellationToken cancellationToken) => _call("timestamp", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _endpointer.DisposeAsync().ConfigureAwait(false);
        await Instancer.DisposeAsync().ConfigureAwait(false);
    }
}

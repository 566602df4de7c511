namespace SdKit.LoadBalancing;

/// <summary>Calls in flight on one endpoint, for the least-outstanding balancer.</summary>
internal sealed class OutstandingCounter
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave(bool failed)
    {
        _ = failed;
        Interlocked.Decrement(ref _inFlight);
    }
}

namespace SdKit.Cli.TimeService;

/// <summary>The balancers <c>call</c> and <c>demo</c> can pick with.</summary>
internal enum BalancerKind
{
    /// <summary>A uniformly random instance per call (the seed's choice).</summary>
    Random,

    /// <summary>Each instance in turn.</summary>
    RoundRobin,

    /// <summary>The instance with fewer calls in flight of two random ones.</summary>
    LeastOutstanding,
}

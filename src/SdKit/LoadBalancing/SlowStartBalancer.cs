using System.Runtime.CompilerServices;
using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Leaves each ramping endpoint out of a call with probability 1 − its weight factor and lets the inner balancer pick
/// among the rest.
/// </summary>
/// <remarks>
/// The endpoints that joined after the first non-empty set, and whose window has not ended, are kept in a snapshot
/// rebuilt (under a lock, allocating) only when the endpoint set changes or the last window ends. A pick with no ramp
/// running reads the snapshot and the set and costs nothing more; during a ramp it adds a search of the few ramping
/// endpoints for the picked one and, when it is one of them, a timestamp and one random draw. <see cref="Pick"/> never allocates: a
/// left-out endpoint is answered by picking again (at most <see cref="PickTries"/> times), not by taking a lease that
/// would report a call that never happened to an inner balancer fed by outcomes.
/// </remarks>
internal sealed class SlowStartBalancer<T> : IBalancer<T>
    where T : notnull
{
    /// <summary>How many plain picks of the inner balancer a <see cref="Pick"/> tries to find an endpoint not left out.</summary>
    private const int PickTries = 4;

    private readonly IEndpointer<T> _endpointer;
    private readonly IBalancer<T> _inner;
    private readonly TimeProvider _clock;
    private readonly double _windowTimestamps;
    private readonly double _exponent;
    private readonly double _minFactor;
    private readonly object _gate = new();
    private Ramps _ramps = Ramps.Initial;

    public SlowStartBalancer(IEndpointer<T> endpointer, IBalancer<T> inner, SlowStartOptions options)
    {
        _endpointer = endpointer;
        _inner = inner;
        _clock = options.TimeProvider;
        _windowTimestamps = options.Window.TotalSeconds * _clock.TimestampFrequency;
        _exponent = 1 / options.Aggression;
        _minFactor = options.MinWeightPercent / 100;
    }

    public T Pick()
    {
        var ramps = RampsFor(_endpointer.Current);
        var picked = _inner.Pick();
        if (ramps.Ramping.Length == 0)
        {
            return picked;
        }

        // The clock is read only when a ramping endpoint comes up, most picks during a ramp do not pay for it.
        var position = ramps.PositionOf(picked);
        if (position < 0)
        {
            return picked;
        }

        var now = _clock.GetTimestamp();
        if (now >= ramps.End)
        {
            EndRamps(ramps);
            return picked;
        }

        // Each ramping endpoint is left out of this call or not once (the first time it comes up), so picking again
        // does not give it a second chance: its share stays its factor times the inner balancer's.
        ulong decided = 0;
        ulong leftOut = 0;
        for (var attempt = 1; ; attempt++)
        {
            var bit = position < 64 ? 1UL << position : 0;
            bool isOut;
            if ((decided & bit) != 0)
            {
                isOut = (leftOut & bit) != 0;
            }
            else
            {
                isOut = !Admits(ramps.Ramping[position], now);
                decided |= bit;
                leftOut |= isOut ? bit : 0;
            }

            if (!isOut || attempt == PickTries)
            {
                return picked;
            }

            picked = _inner.Pick();
            position = ramps.PositionOf(picked);
            if (position < 0)
            {
                return picked;
            }
        }
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var ramps = RampsFor(_endpointer.Current);
        if (ramps.Ramping.Length == 0)
        {
            return _inner.Acquire(avoid);
        }

        var now = _clock.GetTimestamp();
        if (now >= ramps.End)
        {
            EndRamps(ramps);
            return _inner.Acquire(avoid);
        }

        // Decided before the lease is taken, since a lease cannot be given back without reporting an outcome.
        Ramp? single = null;
        List<T>? several = null;
        foreach (var ramp in ramps.Ramping)
        {
            if (Admits(ramp, now))
            {
                continue;
            }

            if (single is null && several is null)
            {
                single = ramp;
            }
            else
            {
                several ??= [single!.Endpoint];
                several.Add(ramp.Endpoint);
            }
        }

        if (single is null)
        {
            return _inner.Acquire(avoid);
        }

        if (several is null && (avoid is null || avoid.Count == 0))
        {
            return _inner.Acquire(single.Alone);
        }

        several ??= [single.Endpoint];
        if (avoid is not null)
        {
            several.AddRange(avoid);
        }

        return _inner.Acquire(several);
    }

    /// <summary>Gets the weight factor of an endpoint that joined at <paramref name="started"/>, at <paramref name="now"/>.</summary>
    private double Factor(long started, long now)
    {
        var progress = (now - started) / _windowTimestamps;
        if (progress >= 1)
        {
            return 1;
        }

        progress = Math.Max(progress, 0);
        return Math.Max(_minFactor, _exponent == 1 ? progress : Math.Pow(progress, _exponent)); // linear, the default, without the power
    }

    /// <summary>Draws whether <paramref name="ramp"/> takes part in this call.</summary>
    private bool Admits(Ramp ramp, long now)
    {
        var factor = Factor(ramp.Started, now);
        return factor >= 1 || (ThreadRandom.NextBits() >> 11) * (1.0 / (1UL << 53)) < factor;
    }

    private Ramps RampsFor(EndpointSet<T> set)
    {
        var ramps = Volatile.Read(ref _ramps);
        return ReferenceEquals(ramps.Set, set) ? ramps : Rebuild();
    }

    /// <summary>Drops the ramps once the last window has ended, so picks stop reading the clock.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndRamps(Ramps ended)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_ramps, ended))
            {
                Volatile.Write(ref _ramps, new Ramps(ended.Set, ended.Started, ended.Known, [], long.MaxValue));
            }
        }
    }

    /// <summary>Builds the snapshot of the endpointer's newest set (never an older one a caller still holds).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Ramps Rebuild()
    {
        lock (_gate)
        {
            var previous = _ramps;
            var set = _endpointer.Current;
            if (ReferenceEquals(previous.Set, set))
            {
                return previous;
            }

            Ramps built;
            if (set.Error is not null)
            {
                // An invalidated set is empty: it says nothing about who joined, so what was known stays known.
                built = new Ramps(set, previous.Started, previous.Known, previous.Ramping, previous.End);
            }
            else if (!previous.Started)
            {
                // The instances there from the start are not ramped: nothing has been sent to the others either.
                built = new Ramps(set, set.Count > 0, new HashSet<string>(set.InstanceArray, StringComparer.Ordinal), [], long.MaxValue);
            }
            else
            {
                var now = _clock.GetTimestamp();
                var carried = new Dictionary<string, Ramp>(StringComparer.Ordinal);
                foreach (var ramp in previous.Ramping)
                {
                    carried.TryAdd(ramp.Instance, ramp);
                }

                var ramping = new List<Ramp>();
                for (var i = 0; i < set.Count; i++)
                {
                    var instance = set.InstanceArray[i];
                    if (carried.TryGetValue(instance, out var ramp))
                    {
                        if (Factor(ramp.Started, now) < 1)
                        {
                            ramping.Add(new Ramp(set.Items[i], instance, ramp.Started));
                        }
                    }
                    else if (!previous.Known.Contains(instance))
                    {
                        ramping.Add(new Ramp(set.Items[i], instance, now));
                    }
                }

                var end = long.MaxValue;
                if (ramping.Count > 0)
                {
                    end = long.MinValue;
                    foreach (var ramp in ramping)
                    {
                        end = Math.Max(end, ramp.Started + (long)Math.Ceiling(_windowTimestamps));
                    }
                }

                built = new Ramps(set, true, new HashSet<string>(set.InstanceArray, StringComparer.Ordinal), [.. ramping], end);
            }

            Volatile.Write(ref _ramps, built);
            return built;
        }
    }

    /// <summary>One endpoint in its window, with the one-element list that leaves it alone out of a call.</summary>
    private sealed class Ramp(T endpoint, string instance, long started)
    {
        public T Endpoint { get; } = endpoint;

        public string Instance { get; } = instance;

        public long Started { get; } = started;

        public T[] Alone { get; } = [endpoint];
    }

    /// <summary>The ramping endpoints of one endpoint set, immutable once published.</summary>
    private sealed class Ramps
    {
        /// <summary>Up to this many ramping endpoints a pick searches the array, cheaper than hashing the endpoint.</summary>
        private const int ScanLimit = 8;

        public Ramps(EndpointSet<T> set, bool started, HashSet<string> known, Ramp[] ramping, long end)
        {
            Set = set;
            Started = started;
            Known = known;
            Ramping = ramping;
            End = end;
            Endpoints = new T[ramping.Length];
            for (var i = 0; i < ramping.Length; i++)
            {
                Endpoints[i] = ramping[i].Endpoint;
            }

            if (ramping.Length > ScanLimit)
            {
                Index = new Dictionary<T, int>(ramping.Length);
                for (var i = 0; i < ramping.Length; i++)
                {
                    Index.TryAdd(ramping[i].Endpoint, i);
                }
            }
        }

        public static Ramps Initial { get; } = new(EndpointSet<T>.Empty, false, new HashSet<string>(StringComparer.Ordinal), [], long.MaxValue);

        /// <summary>Gets the set this snapshot was built for.</summary>
        public EndpointSet<T> Set { get; }

        /// <summary>Gets a value indicating whether a non-empty set has been seen (the instances at startup are behind).</summary>
        public bool Started { get; }

        /// <summary>Gets the instances of the last set that was not invalidated.</summary>
        public HashSet<string> Known { get; }

        /// <summary>Gets the endpoints in their window.</summary>
        public Ramp[] Ramping { get; }

        /// <summary>Gets the ramping endpoints, by the same positions as <see cref="Ramping"/>.</summary>
        public T[] Endpoints { get; }

        /// <summary>Gets the position of each ramping endpoint when there are more than <see cref="ScanLimit"/>.</summary>
        public Dictionary<T, int>? Index { get; }

        /// <summary>Returns the position of <paramref name="endpoint"/> in <see cref="Ramping"/>, or -1 when it is not ramping.</summary>
        public int PositionOf(T endpoint)
            => Index is null ? Array.IndexOf(Endpoints, endpoint) : Index.TryGetValue(endpoint, out var position) ? position : -1;

        /// <summary>Gets the timestamp the last window ends at (<see cref="long.MaxValue"/> with none).</summary>
        public long End { get; }
    }
}

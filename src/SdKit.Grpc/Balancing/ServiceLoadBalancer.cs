using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The subchannel bookkeeping of SdKit's policies: one subchannel (with its call counter) per resolved address, kept
/// across resolutions while the address stays, and a picker over the ready ones made by the policy.
/// </summary>
/// <remarks>
/// <para>Written for SdKit's semantics rather than on <see cref="SubchannelsLoadBalancer"/>: an empty address list is
/// the registry saying the service has no instance, so every subchannel goes and calls fail at once with
/// <see cref="StatusCode.Unavailable"/> naming the service (the base class keeps serving its old subchannels while one
/// is ready). A resolver failure keeps the subchannels, as gRPC's own policies do, and fails calls only while none is
/// ready.</para>
/// <para>The channel calls every method here under its own lock, resolver results and subchannel state changes
/// alike, so the bookkeeping needs none.</para>
/// </remarks>
internal sealed partial class ServiceLoadBalancer : LoadBalancer
{
    private readonly IChannelControlHelper _controller;
    private readonly Func<IReadOnlyList<ReadySubchannel>, SubchannelPicker> _createPicker;
    private readonly string _service;
    private readonly ILogger _logger;
    private readonly List<Entry> _entries = [];
    private Status _lastResolverStatus = Status.DefaultSuccess;
    private bool _disposed;

    public ServiceLoadBalancer(LoadBalancerOptions options, Func<IReadOnlyList<ReadySubchannel>, SubchannelPicker> createPicker)
    {
        _controller = options.Controller;
        _createPicker = createPicker;
        _service = ServiceOf(options.Configuration);
        _logger = options.LoggerFactory.CreateLogger<ServiceLoadBalancer>();
    }

    /// <inheritdoc/>
    public override void UpdateChannelState(ChannelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_disposed)
        {
            return;
        }

        if (state.Status.StatusCode != StatusCode.OK)
        {
            // The resolver could not tell: keep what there is, fail only while nothing is ready.
            _lastResolverStatus = state.Status;
            if (!_entries.Exists(e => e.State == ConnectivityState.Ready))
            {
                Publish(ConnectivityState.TransientFailure, StatusPicker.Failing(state.Status));
            }

            return;
        }

        _lastResolverStatus = Status.DefaultSuccess;
        var addresses = state.Addresses ?? [];
        var kept = new List<Entry>(addresses.Count);
        var added = new List<Entry>();
        var remaining = new List<Entry>(_entries);
        foreach (var address in addresses)
        {
            var index = remaining.FindIndex(e => Equals(e.Address.EndPoint, address.EndPoint));
            if (index >= 0)
            {
                kept.Add(remaining[index]);
                remaining.RemoveAt(index);
                continue;
            }

            if (kept.Exists(e => Equals(e.Address.EndPoint, address.EndPoint)))
            {
                continue;
            }

            var subchannel = _controller.CreateSubchannel(new SubchannelOptions([address]));
            var entry = new Entry(subchannel, address);
            subchannel.OnStateChanged(s => OnSubchannelStateChanged(entry, s));
            kept.Add(entry);
            added.Add(entry);
        }

        foreach (var removed in remaining)
        {
            removed.Subchannel.Dispose();
        }

        _entries.Clear();
        _entries.AddRange(kept);
        if (remaining.Count > 0 || added.Count > 0)
        {
            Log.Changed(_logger, _service, _entries.Count, added.Count, remaining.Count);
        }

        foreach (var entry in added)
        {
            entry.Subchannel.RequestConnection();
        }

        UpdateBalancingState(Status.DefaultSuccess);
    }

    /// <inheritdoc/>
    public override void RequestConnection()
    {
        foreach (var entry in _entries)
        {
            entry.Subchannel.RequestConnection();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            foreach (var entry in _entries)
            {
                entry.Subchannel.Dispose();
            }

            _entries.Clear();
        }

        base.Dispose(disposing);
    }

    private static string ServiceOf(IDictionary<string, object>? configuration)
    {
        if (configuration is not null)
        {
            if (configuration.TryGetValue(SdKitGrpcPolicies.ServiceKey, out var value) && value is string service)
            {
                return service;
            }

            foreach (var nested in configuration.Values)
            {
                if (nested is IDictionary<string, object> inner && inner.TryGetValue(SdKitGrpcPolicies.ServiceKey, out value) && value is string named)
                {
                    return named;
                }
            }
        }

        return "the service";
    }

    private void OnSubchannelStateChanged(Entry entry, SubchannelState state)
    {
        if (_disposed || !_entries.Contains(entry))
        {
            return;
        }

        entry.State = state.State;
        UpdateBalancingState(state.Status);
        if (state.State is ConnectivityState.Idle)
        {
            // An idle subchannel lost its connection (the server went away or closed it): connect again, so it is ready
            // when the next call comes rather than after it.
            entry.Subchannel.RequestConnection();
        }
    }

    private void UpdateBalancingState(Status lastStatus)
    {
        if (_entries.Count == 0)
        {
            Publish(ConnectivityState.TransientFailure, StatusPicker.Failing(new Status(
                StatusCode.Unavailable,
                $"No instance of {_service} is registered: the registry lists none.")));
            return;
        }

        var ready = new List<ReadySubchannel>(_entries.Count);
        var connecting = false;
        foreach (var entry in _entries)
        {
            if (entry.State == ConnectivityState.Ready)
            {
                ready.Add(new ReadySubchannel(entry.Subchannel, entry.Calls, entry.Weight, entry.Zone));
            }
            else if (entry.State is ConnectivityState.Idle or ConnectivityState.Connecting)
            {
                connecting = true;
            }
        }

        if (ready.Count > 0)
        {
            Publish(ConnectivityState.Ready, _createPicker(ready));
        }
        else if (connecting)
        {
            Publish(ConnectivityState.Connecting, StatusPicker.Queue);
        }
        else
        {
            var detail = lastStatus.StatusCode != StatusCode.OK ? lastStatus.Detail : _lastResolverStatus.Detail;
            Publish(ConnectivityState.TransientFailure, StatusPicker.Failing(new Status(
                StatusCode.Unavailable,
                $"No instance of {_service} could be connected to ({_entries.Count} registered): {detail}",
                lastStatus.DebugException)));
        }
    }

    private void Publish(ConnectivityState state, SubchannelPicker picker) => _controller.UpdateState(new BalancerState(state, picker));

    /// <summary>One resolved address: its subchannel, the state last reported for it, and its calls in flight.</summary>
    private sealed class Entry(Subchannel subchannel, BalancerAddress address)
    {
        public Subchannel Subchannel { get; } = subchannel;

        public BalancerAddress Address { get; } = address;

        public ConnectivityState State { get; set; } = ConnectivityState.Idle;

        public OutstandingCalls Calls { get; } = new();

        /// <summary>Gets the instance's weight, 1 when the address carries no typed instance.</summary>
        public int Weight { get; } = address.Attributes.TryGetValue(Resolution.SdKitBalancerAttributes.TypedInstance, out var typed) ? typed.Weight : 1;

        /// <summary>Gets the instance's zone, <see langword="null"/> when the address carries no typed instance or it names none.</summary>
        public string? Zone { get; } = address.Attributes.TryGetValue(Resolution.SdKitBalancerAttributes.TypedInstance, out var typed) ? typed.Zone : null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "The subchannels of {Service} changed: {Count} now, {Added} added, {Removed} removed.", EventName = "SubchannelsChanged")]
        public static partial void Changed(ILogger logger, string service, int count, int added, int removed);
    }
}

using Grpc.Core;
using Grpc.Net.Client.Balancer;
using SdKit.LoadBalancing;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The <c>sdkit_zone_aware</c> policy: Envoy's zone-aware routing over the ready subchannels, by the same rule (and the
/// same code) as <c>Balancers.ZoneAware</c>. Capacity is the ready instances' weights
/// (<see cref="Resolution.SdKitBalancerAttributes.TypedInstance"/>; 1 and no zone for an instance without one). While
/// the local zone holds at least its callers' share of it every call stays there; otherwise the local zone keeps
/// <c>capacity share / caller share</c> of the calls and the rest goes to the zones with residual capacity, in
/// proportion to it. Within the chosen zone two ready subchannels are drawn and the one with fewer calls in flight per
/// unit of weight is taken, passing over one whose calls could not connect just now.
/// </summary>
public sealed class SdKitZoneAwareBalancerFactory : LoadBalancerFactory
{
    private readonly ZoneAwareOptions _options;
    private readonly string? _invalid;

    /// <summary>Initializes a new instance of the <see cref="SdKitZoneAwareBalancerFactory"/> class.</summary>
    /// <param name="options">The caller's zone and the rule's parameters. Copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="ZoneAwareOptions.Validate"/>); the local zone is required.</exception>
    public SdKitZoneAwareBalancerFactory(ZoneAwareOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    private SdKitZoneAwareBalancerFactory(ZoneAwareOptions options, string invalid)
    {
        _options = options;
        _invalid = invalid;
    }

    /// <inheritdoc/>
    public override string Name => SdKitGrpcPolicies.ZoneAware;

    /// <inheritdoc/>
    public override LoadBalancer Create(LoadBalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_invalid is not null)
        {
            var status = new Status(StatusCode.FailedPrecondition, $"The {SdKitGrpcPolicies.ZoneAware} policy needs SdKit:Grpc:ZoneAware (SdKitGrpcOptions.ZoneAware): {_invalid}");
            return new ServiceLoadBalancer(options, _ => StatusPicker.Failing(status));
        }

        var zoneOptions = _options;
        return new ServiceLoadBalancer(options, ready => new ZoneAwarePicker(ready, zoneOptions));
    }

    /// <summary>
    /// The factory <c>AddSdKitGrpc</c> registers: it must not fail the channels that use other policies when no zone is
    /// configured, so invalid options make this policy fail its calls, with the reason, instead of throwing.
    /// </summary>
    internal static SdKitZoneAwareBalancerFactory Deferred(ZoneAwareOptions? options)
    {
        if (options is null)
        {
            return new SdKitZoneAwareBalancerFactory(new ZoneAwareOptions(), "the options are null.");
        }

        try
        {
            return new SdKitZoneAwareBalancerFactory(options);
        }
        catch (ArgumentException error)
        {
            return new SdKitZoneAwareBalancerFactory(options.Clone(), error.Message);
        }
    }
}

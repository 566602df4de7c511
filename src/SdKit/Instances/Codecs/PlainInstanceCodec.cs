namespace SdKit.Instances.Codecs;

/// <summary>The bare-string layout of go-kit and the seed: the instance string is the address (<c>host:port</c> or a URI).</summary>
public sealed class PlainInstanceCodec : IInstanceCodec
{
    /// <summary>Gets the one instance; the codec holds no state.</summary>
    public static PlainInstanceCodec Instance { get; } = new();

    /// <inheritdoc/>
    public InstanceDecodeResult Decode(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return ServiceInstance.TryParseAddress(raw, out var host, out var port, out var scheme, out var reason)
            ? InstanceDecodeResult.Success(new ServiceInstance(raw, host, port, scheme, raw: raw))
            : InstanceDecodeResult.Fail(reason);
    }

    /// <summary>Returns <see cref="ServiceInstance.Raw"/> when set (so a decoded value round-trips unchanged), else the address.</summary>
    /// <param name="instance">The instance.</param>
    /// <returns>The instance string.</returns>
    public string Encode(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Raw is not null)
        {
            return instance.Raw;
        }

        var address = instance.Host.Contains(':', StringComparison.Ordinal) ? $"[{instance.Host}]" : instance.Host;
        if (instance.Port != 0)
        {
            address = $"{address}:{instance.Port}";
        }

        return instance.Scheme is null ? address : $"{instance.Scheme}://{address}";
    }
}

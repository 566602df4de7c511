using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SdKit.Instances.Codecs;

/// <summary>
/// The seed's etcd layout: Go's <c>json.Marshal</c> of <c>ServiceInfo{IP string}</c>, for example <c>{"IP":"192.168.1.26"}</c>.
/// </summary>
/// <remarks>
/// The seed stores only an IP; its port is a convention outside the registry, so the codec is told it. An IP
/// written as <c>host:port</c> is honoured. The id is the IP value, since an etcd value is all the instancer sees.
/// </remarks>
public sealed class SeedEtcdJsonCodec : IInstanceCodec
{
    private const string Layout = "Seed etcd JSON";

    /// <summary>Initializes a new codec.</summary>
    /// <param name="port">The port the seed's services listen on, or 0 when unknown.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 0..65535.</exception>
    public SeedEtcdJsonCodec(int port = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Port = port;
    }

    /// <summary>Gets the port given to instances whose IP carries none.</summary>
    public int Port { get; }

    /// <inheritdoc/>
    public InstanceDecodeResult Decode(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!JsonReading.TryParse(raw, Layout, out var document, out var parseFailure))
        {
            return InstanceDecodeResult.Fail(parseFailure);
        }

        using (document)
        {
            string? failure = null;
            var ip = JsonReading.String(document!.RootElement, "IP", raw, Layout, ref failure);
            if (failure is not null)
            {
                return InstanceDecodeResult.Fail(failure);
            }

            if (string.IsNullOrWhiteSpace(ip))
            {
                return InstanceDecodeResult.Fail($"{Layout} value '{JsonReading.Shorten(raw)}' has no 'IP'.");
            }

            if (!ServiceInstance.TryParseAddress(ip, out var host, out var port, out var scheme, out var reason))
            {
                return InstanceDecodeResult.Fail($"{Layout} value '{JsonReading.Shorten(raw)}': {reason}");
            }

            return InstanceDecodeResult.Success(new ServiceInstance(ip, host, port == 0 ? Port : port, scheme, raw: raw));
        }
    }

    /// <summary>Writes <c>{"IP":"host"}</c> as Go does (the port stays a convention, as in the seed).</summary>
    /// <param name="instance">The instance.</param>
    /// <returns>The JSON.</returns>
    public string Encode(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("IP", instance.Port == 0 || instance.Port == Port ? instance.Host : $"{instance.Host}:{instance.Port}");
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

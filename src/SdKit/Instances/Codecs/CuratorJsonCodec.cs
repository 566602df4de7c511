using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SdKit.Instances.Codecs;

/// <summary>
/// Apache Curator x-discovery's layout: what <c>JsonInstanceSerializer</c> writes into
/// <c>&lt;basePath&gt;/&lt;serviceName&gt;/&lt;id&gt;</c> (name, id, address, port, sslPort, payload,
/// registrationTimeUTC, serviceType, uriSpec, enabled).
/// </summary>
/// <remarks>
/// <para>Decoding: a map payload becomes the metadata (Jackson's <c>@class</c> hint is dropped; a non-string value
/// keeps its JSON text); any other payload is kept whole under the metadata key <see cref="PayloadKey"/>. A
/// missing <c>enabled</c> is true (Curator 5.4 does not write it). When only <c>sslPort</c> is set the instance
/// is <c>https</c> on that port; <c>sslPort</c> next to a plain port is kept as metadata <see cref="SslPortKey"/>.</para>
/// <para>Encoding writes the metadata as a <c>java.util.HashMap</c> payload so Curator's map serializer reads it
/// back, with the registration time from the codec's clock.</para>
/// </remarks>
public sealed partial class CuratorJsonCodec : IInstanceCodec
{
    /// <summary>The metadata key holding a payload that is not a JSON object, as JSON text.</summary>
    public const string PayloadKey = "curator.payload";

    /// <summary>The metadata key holding <c>sslPort</c> when the instance also has a plain port.</summary>
    public const string SslPortKey = "curator.sslPort";

    private const string Layout = "Curator JSON";
    private readonly TimeProvider _time;

    /// <summary>Initializes a new codec.</summary>
    /// <param name="serviceName">The service name written as <c>name</c> when encoding.</param>
    /// <param name="timeProvider">The clock for <c>registrationTimeUTC</c>; the system clock when <see langword="null"/>.</param>
    public CuratorJsonCodec(string serviceName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ServiceName = serviceName;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the service name written when encoding.</summary>
    public string ServiceName { get; }

    /// <inheritdoc/>
    public InstanceDecodeResult Decode(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (TryDecodeFast(raw, out var fast))
        {
            return fast;
        }

        if (!JsonReading.TryParse(raw, Layout, out var document, out var parseFailure))
        {
            return InstanceDecodeResult.Fail(parseFailure);
        }

        using (document)
        {
            var root = document!.RootElement;
            string? failure = null;
            var id = JsonReading.String(root, "id", raw, Layout, ref failure);
            var address = JsonReading.String(root, "address", raw, Layout, ref failure);
            var port = JsonReading.Int(root, "port", raw, Layout, ref failure);
            var sslPort = JsonReading.Int(root, "sslPort", raw, Layout, ref failure);
            var enabled = JsonReading.Bool(root, "enabled", raw, Layout, ref failure);
            failure ??= JsonReading.CheckPort(port, raw, Layout, "port");
            failure ??= JsonReading.CheckPort(sslPort, raw, Layout, "sslPort");
            if (failure is null && string.IsNullOrWhiteSpace(id))
            {
                failure = $"{Layout} value '{JsonReading.Shorten(raw)}' has no 'id'.";
            }

            if (failure is null && string.IsNullOrWhiteSpace(address))
            {
                failure = $"{Layout} value '{JsonReading.Shorten(raw)}' has no 'address'.";
            }

            if (failure is not null)
            {
                return InstanceDecodeResult.Fail(failure);
            }

            var metadata = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("payload", out var payload) && payload.ValueKind != JsonValueKind.Null)
            {
                if (payload.ValueKind == JsonValueKind.Object)
                {
                    foreach (var pair in payload.EnumerateObject())
                    {
                        if (pair.Name == "@class")
                        {
                            continue;
                        }

                        metadata.Add(new(pair.Name, pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText()));
                    }
                }
                else
                {
                    metadata.Add(new(PayloadKey, payload.GetRawText()));
                }
            }

            var (scheme, effectivePort) = Endpoint(port, sslPort, metadata);
            return InstanceDecodeResult.Success(new ServiceInstance(id!, address!, effectivePort, scheme, metadata, enabled: enabled ?? true, raw: raw));
        }
    }

    /// <summary>
    /// The scheme and port an instance is called on: <c>https</c> on <c>sslPort</c> when only that is set; otherwise
    /// the plain port, with <c>sslPort</c> kept as metadata.
    /// </summary>
    private static (string? Scheme, int Port) Endpoint(int? port, int? sslPort, List<KeyValuePair<string, string>> metadata)
    {
        if (port is null && sslPort is not null)
        {
            return ("https", sslPort.Value);
        }

        if (sslPort is not null)
        {
            metadata.Add(new(SslPortKey, sslPort.Value.ToString(CultureInfo.InvariantCulture)));
        }

        return (null, port ?? 0);
    }

    /// <inheritdoc/>
    public string Encode(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var buffer = new ArrayBufferWriter<byte>();
        var ssl = string.Equals(instance.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", ServiceName);
            writer.WriteString("id", instance.Id);
            writer.WriteString("address", instance.Host);
            if (ssl)
            {
                writer.WriteNull("port");
                writer.WriteNumber("sslPort", instance.Port);
            }
            else
            {
                writer.WriteNumber("port", instance.Port);
                if (instance.Metadata.TryGetValue(SslPortKey, out var sslText) && int.TryParse(sslText, NumberStyles.None, CultureInfo.InvariantCulture, out var sslPort))
                {
                    writer.WriteNumber("sslPort", sslPort);
                }
                else
                {
                    writer.WriteNull("sslPort");
                }
            }

            if (instance.Metadata.TryGetValue(PayloadKey, out var payloadJson))
            {
                writer.WritePropertyName("payload");
                writer.WriteRawValue(payloadJson);
            }
            else
            {
                writer.WriteStartObject("payload");
                writer.WriteString("@class", "java.util.HashMap");
                foreach (var pair in instance.Metadata)
                {
                    if (pair.Key != SslPortKey)
                    {
                        writer.WriteString(pair.Key, pair.Value);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteNumber("registrationTimeUTC", _time.GetUtcNow().ToUnixTimeMilliseconds());
            writer.WriteString("serviceType", "DYNAMIC");
            writer.WriteNull("uriSpec");
            writer.WriteBoolean("enabled", instance.Enabled);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

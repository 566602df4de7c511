using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SdKit.Instances.Codecs;

/// <summary>
/// SdKit's own JSON layout, one object per instance:
/// <c>{"id":"a","host":"10.0.0.1","port":80,"scheme":"http","weight":1,"zone":"z1","enabled":true,"metadata":{"version":"2"}}</c>.
/// </summary>
/// <remarks>Only <c>host</c> is required; a missing <c>id</c> is <c>host:port</c>, a missing weight 1, a missing enabled true.</remarks>
public sealed class SdKitJsonCodec : IInstanceCodec
{
    private const string Layout = "SdKit JSON";

    /// <summary>Gets the one instance; the codec holds no state.</summary>
    public static SdKitJsonCodec Instance { get; } = new();

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
            var root = document!.RootElement;
            string? failure = null;
            var id = JsonReading.String(root, "id", raw, Layout, ref failure);
            var host = JsonReading.String(root, "host", raw, Layout, ref failure);
            var port = JsonReading.Int(root, "port", raw, Layout, ref failure);
            var scheme = JsonReading.String(root, "scheme", raw, Layout, ref failure);
            var weight = JsonReading.Int(root, "weight", raw, Layout, ref failure);
            var zone = JsonReading.String(root, "zone", raw, Layout, ref failure);
            var enabled = JsonReading.Bool(root, "enabled", raw, Layout, ref failure);
            failure ??= JsonReading.CheckPort(port, raw, Layout, "port");
            if (weight is <= 0)
            {
                failure ??= $"{Layout} value '{JsonReading.Shorten(raw)}': property 'weight' is {weight}, not greater than zero.";
            }

            if (failure is null && string.IsNullOrWhiteSpace(host))
            {
                failure = $"{Layout} value '{JsonReading.Shorten(raw)}' has no 'host'.";
            }

            var metadata = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
            {
                if (meta.ValueKind != JsonValueKind.Object)
                {
                    failure ??= $"{Layout} value '{JsonReading.Shorten(raw)}': property 'metadata' is {meta.GetRawText()}, not an object.";
                }
                else
                {
                    foreach (var pair in meta.EnumerateObject())
                    {
                        if (pair.Value.ValueKind != JsonValueKind.String)
                        {
                            failure ??= $"{Layout} value '{JsonReading.Shorten(raw)}': metadata '{pair.Name}' is {pair.Value.GetRawText()}, not a string.";
                            continue;
                        }

                        metadata.Add(new(pair.Name, pair.Value.GetString()!));
                    }
                }
            }

            if (failure is not null)
            {
                return InstanceDecodeResult.Fail(failure);
            }

            var p = port ?? 0;
            return InstanceDecodeResult.Success(new ServiceInstance(
                string.IsNullOrWhiteSpace(id) ? $"{host}:{p}" : id, host!, p, scheme, metadata, weight ?? 1, zone, enabled ?? true, raw));
        }
    }

    /// <inheritdoc/>
    public string Encode(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", instance.Id);
            writer.WriteString("host", instance.Host);
            writer.WriteNumber("port", instance.Port);
            if (instance.Scheme is not null)
            {
                writer.WriteString("scheme", instance.Scheme);
            }

            writer.WriteNumber("weight", instance.Weight);
            if (instance.Zone is not null)
            {
                writer.WriteString("zone", instance.Zone);
            }

            writer.WriteBoolean("enabled", instance.Enabled);
            writer.WriteStartObject("metadata");
            foreach (var pair in instance.Metadata)
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

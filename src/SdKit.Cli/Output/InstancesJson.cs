using System.Text;
using System.Text.Json;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Cli.Output;

/// <summary>
/// The one-line JSON form of an instance set, for scripts:
/// <c>{"instances":[...],"error":null}</c>, the registry's strings as they are. Given a format (<c>--format</c>) it
/// adds <c>"format"</c>, <c>"typed"</c> (the strings that decode, with every typed field) and <c>"failures"</c> (each
/// string that does not decode, and why); without one the line stays as scripts written for the string form expect.
/// </summary>
internal static class InstancesJson
{
    public static string Format(IEnumerable<string> instances, string? error, string? format = null, IInstanceCodec? codec = null)
    {
        var strings = instances as IReadOnlyCollection<string> ?? [.. instances];
        var typed = new List<ServiceInstance>(strings.Count);
        var failures = new List<(string Raw, string Reason)>();
        foreach (var raw in codec is null ? [] : strings)
        {
            var decoded = codec!.Decode(raw);
            if (decoded.Instance is { } instance)
            {
                typed.Add(instance);
            }
            else
            {
                failures.Add((raw, decoded.Failure!));
            }
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("instances");
            foreach (var instance in strings)
            {
                json.WriteStringValue(instance);
            }

            json.WriteEndArray();
            if (error is null)
            {
                json.WriteNull("error");
            }
            else
            {
                json.WriteString("error", error);
            }

            if (format is null || codec is null)
            {
                json.WriteEndObject();
                return Done(json, buffer);
            }

            json.WriteString("format", format);
            json.WriteStartArray("typed");
            foreach (var instance in typed)
            {
                WriteInstance(json, instance);
            }

            json.WriteEndArray();
            json.WriteStartArray("failures");
            foreach (var (raw, reason) in failures)
            {
                json.WriteStartObject();
                json.WriteString("raw", raw);
                json.WriteString("reason", reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            return Done(json, buffer);
        }
    }

    private static string Done(Utf8JsonWriter json, MemoryStream buffer)
    {
        json.Flush();
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteInstance(Utf8JsonWriter json, ServiceInstance instance)
    {
        json.WriteStartObject();
        json.WriteString("id", instance.Id);
        json.WriteString("host", instance.Host);
        json.WriteNumber("port", instance.Port);
        WriteNullable(json, "scheme", instance.Scheme);
        json.WriteNumber("weight", instance.Weight);
        WriteNullable(json, "zone", instance.Zone);
        json.WriteBoolean("enabled", instance.Enabled);
        json.WriteStartObject("metadata");
        foreach (var pair in instance.Metadata)
        {
            json.WriteString(pair.Key, pair.Value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}

using System.Text;
using System.Text.Json;

namespace SdKit.Cli.Output;

/// <summary>The one-line JSON form of an instance set, for scripts: <c>{"instances":[...],"error":null}</c>.</summary>
internal static class InstancesJson
{
    public static string Format(IEnumerable<string> instances, string? error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("instances");
            foreach (var instance in instances)
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

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

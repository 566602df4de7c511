using System.Globalization;
using System.Text.Json;

namespace SdKit.Instances.Codecs;

/// <summary>Typed reads of JSON properties that say which property held which bad value.</summary>
internal static class JsonReading
{
    internal static bool TryParse(string raw, string layout, out JsonDocument? document, out string failure)
    {
        failure = string.Empty;
        document = null;
        try
        {
            document = JsonDocument.Parse(raw);
        }
        catch (JsonException ex)
        {
            failure = $"{layout} value '{Shorten(raw)}' is not valid JSON: {ex.Message}";
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            failure = $"{layout} value '{Shorten(raw)}' is a JSON {document.RootElement.ValueKind}, not an object.";
            document.Dispose();
            document = null;
            return false;
        }

        return true;
    }

    internal static string? String(JsonElement root, string name, string raw, string layout, ref string? failure)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        failure ??= $"{layout} value '{Shorten(raw)}': property '{name}' is {value.GetRawText()}, not a string.";
        return null;
    }

    internal static int? Int(JsonElement root, string name, string raw, string layout, ref string? failure)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        failure ??= $"{layout} value '{Shorten(raw)}': property '{name}' is {value.GetRawText()}, not an integer.";
        return null;
    }

    internal static bool? Bool(JsonElement root, string name, string raw, string layout, ref string? failure)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        failure ??= $"{layout} value '{Shorten(raw)}': property '{name}' is {value.GetRawText()}, not true or false.";
        return null;
    }

    internal static string? CheckPort(int? port, string raw, string layout, string name)
        => port is < 0 or > 65535
            ? $"{layout} value '{Shorten(raw)}': property '{name}' is {port.Value.ToString(CultureInfo.InvariantCulture)}, outside 0..65535."
            : null;

    internal static string Shorten(string raw) => raw.Length <= 200 ? raw : string.Concat(raw.AsSpan(0, 200), "...");
}

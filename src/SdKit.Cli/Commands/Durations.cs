using System.CommandLine.Parsing;
using System.Globalization;

namespace SdKit.Cli.Commands;

/// <summary>Reads durations the way people type them: <c>500ms</c>, <c>2s</c>, <c>1m</c> or <c>00:00:01</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string Suffix, double Scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000)];
        foreach (var (suffix, scale) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value >= 0 && value * scale <= int.MaxValue)
            {
                duration = TimeSpan.FromMilliseconds(value * scale);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>A System.CommandLine parser for a duration option.</summary>
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration for {(result.Parent is OptionResult option ? option.Option.Name : "this option")} (use 500ms, 2s, 1m or hh:mm:ss).");
        return default;
    }
}

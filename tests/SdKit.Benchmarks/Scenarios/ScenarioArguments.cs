using System.Globalization;

namespace SdKit.Benchmarks.Scenarios;

/// <summary>Parses <c>--name value</c> options of a scenario, with errors that name the bad option.</summary>
public sealed class ScenarioArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>: every option is <c>--name value</c>.</summary>
    public ScenarioArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' but got '{name}'.");
            }

            _values[name[2..]] = args[++i];
        }
    }

    /// <summary>Gets a string option, or <paramref name="fallback"/>; throws when missing and no fallback.</summary>
    public string String(string name, string? fallback = null)
        => _values.TryGetValue(name, out var value) ? value
            : fallback ?? throw new ArgumentException($"The option --{name} is required.");

    /// <summary>Gets an integer option, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int? fallback = null)
    {
        var text = String(name, fallback?.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"The option --{name} must be a non-negative integer, not '{text}'.");
    }
}

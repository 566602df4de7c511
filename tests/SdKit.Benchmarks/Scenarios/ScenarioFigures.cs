using System.Text.Json;

namespace SdKit.Benchmarks.Scenarios;

/// <summary>What every scenario runner reports with: nearest-rank percentiles, rounding, one JSON line.</summary>
internal static class ScenarioFigures
{
    /// <summary>The nearest-rank percentile of <paramref name="sorted"/>; NaN when it is empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Rounds a figure in milliseconds to microseconds.</summary>
    public static double Round(double value) => Math.Round(value, 3);

    /// <summary>Prints the figures as one JSON line.</summary>
    public static void PrintJson(IReadOnlyDictionary<string, object> figures) => Console.WriteLine(JsonSerializer.Serialize(figures));
}

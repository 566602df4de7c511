using System.Globalization;
using System.Text.Json;
using ScottPlot;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// <c>scale-plot</c>: draws the JSON lines that <c>scale-instances</c> printed (one file or several) as cost vs size,
/// one line per backend and figure, on a log-scaled instance axis: the time figures in one PNG, the retained bytes
/// per instance in another, each with its target as a dashed line.
/// </summary>
internal sealed class ScalePlotScenario : IScenario
{
    private static readonly (string Key, string Label)[] s_times =
    [
        ("sync_p50_ms", "initial sync (p50)"),
        ("change_to_balancer_p50_ms", "one change to the balancer (p50)"),
    ];

    public string Name => "scale-plot";

    public string Usage => "--input FILE[,FILE...] --output PREFIX (writes PREFIX-time.png and PREFIX-bytes.png)";

    public Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var inputs = arguments.String("input").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var output = arguments.String("output");
        if (inputs.Length == 0 || output.Length == 0)
        {
            throw new ArgumentException("--input and --output are both needed.");
        }

        var rows = inputs.SelectMany(File.ReadLines)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.TryGetProperty("scenario", out var s) && s.GetString() == "scale-instances")
            .ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException($"No scale-instances lines in {string.Join(", ", inputs)}.");
        }

        var time = new Plot();
        var bytes = new Plot();
        foreach (var backend in rows.GroupBy(r => r.GetProperty("backend").GetString()!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = backend.OrderBy(r => r.GetProperty("instances").GetInt32()).ToList();
            var xs = ordered.Select(r => Math.Log10(r.GetProperty("instances").GetInt32())).ToArray();
            foreach (var (key, label) in s_times)
            {
                // Times span 0.2 ms to 1 s: log10, so that both ends show.
                var line = time.Add.Scatter(xs, ordered.Select(r => Math.Log10(Math.Max(0.01, r.GetProperty(key).GetDouble()))).ToArray());
                line.LegendText = $"{backend.Key}: {label}";
                line.MarkerSize = 8;
            }

            var retained = bytes.Add.Scatter(xs, ordered.Select(r => r.GetProperty("retained_bytes_per_instance_beyond_data").GetDouble()).ToArray());
            retained.LegendText = $"{backend.Key}: retained bytes per instance beyond its data";
            retained.MarkerSize = 8;
        }

        Target(time, 3, "target: 100k sync on ZooKeeper <= 1 s");
        Target(time, Math.Log10(5), "target: one change <= 5 ms");
        Target(bytes, 300, "target: <= 300 B per instance");
        foreach (var (plot, title, y) in new[] { (time, "SdKit scale-instances: time vs instances per service", "ms (log10 scale)"), (bytes, "SdKit scale-instances: memory vs instances per service", "bytes per instance") })
        {
            plot.Title(title);
            plot.XLabel("instances under one service path (log10)");
            plot.YLabel(y);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([3, 4, 5], ["1,000", "10,000", "100,000"]);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        time.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([-1, 0, 1, 2, 3], ["0.1", "1", "10", "100", "1000"]);
        time.SavePng($"{output}-time.png", 1200, 650);
        bytes.SavePng($"{output}-bytes.png", 1200, 650);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}-time.png and {output}-bytes.png from {rows.Count} lines"));
        return Task.FromResult(0);
    }

    /// <summary>A dashed red line at <paramref name="value"/> (already log10 on the time plot).</summary>
    private static void Target(Plot plot, double value, string label)
    {
        var line = plot.Add.HorizontalLine(value);
        line.LegendText = label;
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Red;
    }
}

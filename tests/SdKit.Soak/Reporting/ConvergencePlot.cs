using ScottPlot;
using SdKit.Soak.Backends;
using SdKit.Soak.Faults;

namespace SdKit.Soak.Reporting;

/// <summary>Draws convergence time per fault (one colour per kind) with the bound as a line, as a PNG.</summary>
internal static class ConvergencePlot
{
    public static void Write(string path, SoakOptions options, BackendProfile profile, IReadOnlyList<FaultRecord> faults)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        foreach (var group in faults.Where(f => f.Convergence is not null).GroupBy(f => f.Kind).OrderBy(g => g.Key))
        {
            var xs = group.Select(f => (double)f.Number).ToArray();
            var ys = group.Select(f => f.Convergence!.Value.TotalSeconds).ToArray();
            var points = plot.Add.ScatterPoints(xs, ys);
            points.LegendText = group.Key.ToString();
            points.MarkerSize = 9;
            points.Color = (int)group.Key < 10 ? palette.GetColor(2 * (int)group.Key) : Colors.Black;
        }

        var lost = faults.Where(f => f.Convergence is null).ToList();
        var ceiling = profile.Bound.TotalSeconds + 3;
        if (lost.Count > 0)
        {
            var points = plot.Add.ScatterPoints(lost.Select(f => (double)f.Number).ToArray(), lost.Select(_ => ceiling).ToArray());
            points.LegendText = "did not converge";
            points.MarkerShape = MarkerShape.Eks;
            points.MarkerSize = 14;
            points.Color = Colors.Red;
        }

        var bound = plot.Add.HorizontalLine(profile.Bound.TotalSeconds);
        bound.LegendText = $"bound ({profile.SessionOrTtl.TotalSeconds:0} s {(profile.Name == "zk" ? "session" : "TTL")} + 2 s)";
        bound.LinePattern = LinePattern.Dashed;
        bound.Color = Colors.Red;
        plot.Title($"SdKit soak, {profile.Name}, seed {options.Seed}, {options.Minutes:0.#} min: convergence after each fault");
        plot.XLabel("fault number");
        plot.YLabel("s from settling (or end of a host stall) to correct");
        plot.Axes.SetLimitsY(-0.3, ceiling + 1);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(0, Math.Max(2, faults.Count + 2));
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1400, 700);
    }
}

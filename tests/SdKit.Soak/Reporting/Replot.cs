using System.Globalization;
using SdKit.Soak.Backends;
using SdKit.Soak.Faults;

namespace SdKit.Soak.Reporting;

/// <summary>The <c>replot</c> subcommand: draws the chart again from a run's <c>faults.csv</c>.</summary>
internal static class Replot
{
    public static int Run(IReadOnlyList<string> args)
    {
        var values = Arguments.ToDictionary(args);
        var options = new SoakOptions
        {
            Backend = values["backend"],
            Seed = int.Parse(values["seed"], CultureInfo.InvariantCulture),
            Minutes = double.Parse(values["minutes"], CultureInfo.InvariantCulture),
        };
        var faults = File.ReadLines(values["csv"]).Skip(1).Select(Split).Select(cells => new FaultRecord
        {
            Number = int.Parse(cells[0], CultureInfo.InvariantCulture),
            Kind = Enum.Parse<FaultKind>(cells[1]),
            Convergence = cells[7].Length == 0 ? null : TimeSpan.FromSeconds(double.Parse(cells[7], CultureInfo.InvariantCulture)),
        }).ToList();
        ConvergencePlot.Write(values["out"], options, BackendProfile.For(options.Backend), faults);
        return 0;
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        cells.Add(current.ToString());
        return cells;
    }
}

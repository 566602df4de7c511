using System.Globalization;
using System.Text;
using SdKit.Soak.Faults;

namespace SdKit.Soak.Reporting;

/// <summary>Writes every fault of the run as one CSV row, for the plot's numbers and for docs/reliability.md.</summary>
internal static class FaultTable
{
    public static Task WriteAsync(string path, IReadOnlyList<FaultRecord> faults)
    {
        var csv = new StringBuilder("number,kind,target,started_utc,settled_utc,hold_s,wrong_during_fault_s,convergence_s,raw_convergence_s,host_stall_s,lost,failure\n");
        foreach (var f in faults)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{f.Number},{f.Kind},\"{f.Target}\",{f.StartedUtc:O},{f.SettledUtc:O},{f.Hold.TotalSeconds:0.00},{f.WrongDuringFault.TotalSeconds:0.00},")
               .Append(f.Convergence is { } c ? c.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty)
               .Append(',').Append(f.RawConvergence is { } r ? r.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty)
               .Append(CultureInfo.InvariantCulture, $",{f.HostStall.TotalSeconds:0.00},{f.LostRegistrations},\"{f.Failure?.Replace('"', '\'')}\"\n");
        }

        return File.WriteAllTextAsync(path, csv.ToString());
    }
}

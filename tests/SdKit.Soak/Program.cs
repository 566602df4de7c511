using SdKit.Soak;
using SdKit.Soak.Topology;

if (args.Length > 0 && args[0] == "registrant")
{
    return await RegistrantMain.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "replot")
{
    return SdKit.Soak.Reporting.Replot.Run(args[1..]);
}

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

return await new SoakRun(options).RunAsync().ConfigureAwait(false);

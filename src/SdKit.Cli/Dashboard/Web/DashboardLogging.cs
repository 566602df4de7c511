using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;

namespace SdKit.Cli.Dashboard.Web;

/// <summary>
/// Where the dashboard logs: warnings and errors, one line each, on standard error, so that standard output keeps
/// only the tool's own lines (the address, the stop) for scripts and tests.
/// </summary>
internal static class DashboardLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}

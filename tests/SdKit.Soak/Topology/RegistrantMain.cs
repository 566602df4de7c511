using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Registration;
using SdKit.Soak.Backends;

namespace SdKit.Soak.Topology;

/// <summary>
/// The <c>registrant</c> subcommand: connects one client, registers its entries through one registrar each, prints
/// <c>ready</c>, and on end of standard input deregisters and exits. Unobserved task exceptions are printed as
/// <c>unobserved ...</c> lines for the harness to count.
/// </summary>
internal static class RegistrantMain
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var values = Arguments.ToDictionary(args);
        var profile = BackendProfile.For(values["backend"]);
        var addresses = values["endpoints"].Split(',');
        var entries = values["entries"].Split(';').Select(pair => pair.Split('=', 2)).Select(p => new ServiceEntry(p[0], p[1])).ToList();
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Console.WriteLine("unobserved " + e.Exception.Flatten().InnerException?.ToString().ReplaceLineEndings(" | "));
            e.SetObserved();
        };

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; o.UseUtcTimestamp = true; }).SetMinimumLevel(LogLevel.Information));
        using var stopping = new CancellationTokenSource();
        var client = await ConnectWithRetryAsync(profile, addresses, loggerFactory).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var registrars = entries.Select(e => new Registrar(client, e, SoakTimings.Registrar(), loggerFactory.CreateLogger<Registrar>())).ToList();
            await Task.WhenAll(registrars.Select(r => r.RegisterAsync())).ConfigureAwait(false);
            Console.WriteLine("ready");

            var periodicCollect = Task.Run(async () =>
            {
                // Surfaces unobserved task exceptions, which only appear when the finalizer runs.
                while (!stopping.IsCancellationRequested)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    await Task.Delay(5000, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            });
            while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
            {
                // Only the end of input matters.
            }

            await stopping.CancelAsync().ConfigureAwait(false);
            await periodicCollect.ConfigureAwait(false);
            foreach (var registrar in registrars)
            {
                await registrar.DisposeAsync().ConfigureAwait(false);
            }
        }

        Console.WriteLine("stopped");
        return 0;
    }

    private static async Task<IDiscoveryClient> ConnectWithRetryAsync(BackendProfile profile, IReadOnlyList<string> addresses, ILoggerFactory loggerFactory)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                return await profile.ConnectAsync(addresses, loggerFactory, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 10 && ex is not NotSupportedException)
            {
                Console.WriteLine($"connect attempt {attempt} failed: {ex.GetType().Name}: {ex.Message}");
                await Task.Delay(500).ConfigureAwait(false);
            }
        }
    }
}

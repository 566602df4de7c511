using System.Reflection;
using BenchmarkDotNet.Running;
using SdKit.Benchmarks.Scenarios;

namespace SdKit.Benchmarks;

/// <summary>
/// Runs a scenario when the first argument names one (<c>zk-throughput --zk 127.0.0.1:2181 ...</c>);
/// otherwise hands the arguments to BenchmarkDotNet (<c>--filter '*'</c>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var scenarios = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IScenario).IsAssignableFrom(t))
            .Select(t => (IScenario)Activator.CreateInstance(t)!)
            .ToDictionary(s => s.Name, StringComparer.Ordinal);

        if (args.Length > 0 && scenarios.TryGetValue(args[0], out var scenario))
        {
            using var cts = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
            try
            {
                return await scenario.RunAsync(new ScenarioArguments(args[1..]), cts.Token).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"{scenario.Name}: {ex.Message}\nusage: {scenario.Name} {scenario.Usage}").ConfigureAwait(false);
                return 2;
            }
        }

        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync($"Unknown scenario '{args[0]}'. Scenarios: {string.Join(", ", scenarios.Keys.Order(StringComparer.Ordinal))}; or BenchmarkDotNet options such as --filter '*'.").ConfigureAwait(false);
            return 2;
        }

        BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
        return 0;
    }
}

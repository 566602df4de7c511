using System.Globalization;

namespace SdKit.Soak;

/// <summary>The command line of a soak run: which backend, how long, which seed, and the shape of the load.</summary>
internal sealed record SoakOptions
{
    public required string Backend { get; init; }

    public double Minutes { get; init; } = 2;

    public int Seed { get; init; } = 1;

    public int Registrars { get; init; } = 50;

    public int Instancers { get; init; } = 20;

    public int Services { get; init; } = 10;

    public int InProcessClients { get; init; } = 4;

    public int RegistrantProcesses { get; init; } = 2;

    public int RegistrarsPerProcess { get; init; } = 10;

    public string OutputDirectory { get; init; } = string.Empty;

    /// <summary>
    /// Gets a value indicating whether to prove the checker can fail: after the second fault one entry is deleted
    /// behind its registrar's back (through the raw client), so it is lost for good and the run must report it.
    /// </summary>
    public bool Sabotage { get; init; }

    public static string Usage =>
        """
        usage: SdKit.Soak --backend zk|etcd [--minutes M] [--seed S] [--out DIR] [--sabotage true]
               SdKit.Soak registrant --backend zk|etcd --endpoints H:P,... --entries PATH=INSTANCE;...
               SdKit.Soak replot --csv faults.csv --backend zk|etcd --seed S --minutes M --out chart.png
        """;

    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var values = Arguments.ToDictionary(args);
        var backend = values.GetValueOrDefault("backend") ?? throw new ArgumentException("--backend is required (zk or etcd).\n" + Usage);
        if (backend is not ("zk" or "etcd"))
        {
            throw new ArgumentException($"--backend '{backend}' is not known; use zk or etcd.\n" + Usage);
        }

        var minutes = values.TryGetValue("minutes", out var m) ? double.Parse(m, CultureInfo.InvariantCulture) : 2;
        var seed = values.TryGetValue("seed", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 1;
        if (minutes <= 0)
        {
            throw new ArgumentException($"--minutes {minutes} must be positive.");
        }

        var output = values.GetValueOrDefault("out")
            ?? Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "soak", $"{backend}-seed{seed}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var sabotage = values.TryGetValue("sabotage", out var b) && bool.Parse(b);
        return new SoakOptions { Backend = backend, Minutes = minutes, Seed = seed, OutputDirectory = Path.GetFullPath(output), Sabotage = sabotage };
    }
}

namespace SdKit.Benchmarks.Scenarios;

/// <summary>
/// An end-to-end scenario runner against real servers (<c>zk-throughput</c>, <c>etcd-propagation</c>, ...).
/// Each prints one JSON line with its figures. Implementations are found by reflection: add a class, nothing else.
/// </summary>
public interface IScenario
{
    /// <summary>Gets the command name, for example <c>zk-throughput</c>.</summary>
    string Name { get; }

    /// <summary>Gets a one-line usage text listing the options.</summary>
    string Usage { get; }

    /// <summary>Runs the scenario with the arguments after its name; returns the exit code.</summary>
    Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken);
}

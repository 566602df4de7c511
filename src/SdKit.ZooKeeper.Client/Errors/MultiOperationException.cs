namespace SdKit.ZooKeeper.Client;

/// <summary>
/// A multi failed and nothing was applied. <see cref="ZooKeeperException.Code"/> is the failing op's code, and
/// <see cref="ZooKeeperException.Path"/> its path; <see cref="Exception.InnerException"/> is the typed exception for that code.
/// </summary>
public sealed class MultiOperationException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="failedIndex">The index of the failing operation.</param>
    /// <param name="failedOp">The failing operation.</param>
    /// <param name="code">Its error code.</param>
    /// <param name="results">The per-op results.</param>
    public MultiOperationException(int failedIndex, MultiOp failedOp, ZooKeeperErrorCode code, IReadOnlyList<MultiResult> results)
        : base(code, failedOp?.Path, Describe(failedIndex, failedOp, code), Create(code, failedOp?.Path))
    {
        ArgumentNullException.ThrowIfNull(failedOp);
        FailedIndex = failedIndex;
        FailedOp = failedOp;
        Results = results;
    }

    /// <summary>Gets the index of the failing operation.</summary>
    public int FailedIndex { get; }

    /// <summary>Gets the failing operation.</summary>
    public MultiOp FailedOp { get; }

    /// <summary>Gets the per-op results (every one an <see cref="ErrorOpResult"/>).</summary>
    public IReadOnlyList<MultiResult> Results { get; }

    private static string Describe(int index, MultiOp? op, ZooKeeperErrorCode code)
    {
        var kind = op switch
        {
            CreateOp => "create",
            DeleteOp => "delete",
            SetDataOp => "setData",
            CheckOp => "check",
            _ => "op",
        };
        return $"The multi failed at op #{index} ({kind} '{op?.Path}') with {code} ({(int)code}); nothing was applied.";
    }
}

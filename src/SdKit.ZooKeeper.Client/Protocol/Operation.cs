namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>
/// One request in the pipeline: it writes its body, and later decodes its reply and completes its task. The read
/// loop completes it; continuations run asynchronously, so a caller can never block the loop.
/// </summary>
internal abstract class Operation
{
    protected Operation(string? path)
    {
        Path = path;
    }

    public abstract OpCode OpCode { get; }

    /// <summary>Gets the client path (without chroot), for error messages.</summary>
    public string? Path { get; }

    /// <summary>Gets or sets the xid the writer assigned.</summary>
    public int Xid { get; set; }

    /// <summary>Gets or sets the session generation the operation was submitted in; it must not reach a newer session.</summary>
    public long Generation { get; set; }

    /// <summary>Gets or sets the watch this operation leaves when it succeeds.</summary>
    public WatchRequest? Watch { get; init; }

    public abstract bool IsCompleted { get; }

    public abstract void WriteBody(JuteWriter writer);

    /// <summary>Decodes the reply (header error already known) and completes the task.</summary>
    public abstract void Complete(ZooKeeperErrorCode error, ref JuteReader body);

    public abstract void Fail(Exception exception);
}

/// <summary>An operation whose reply decodes to a <typeparamref name="T"/>.</summary>
internal abstract class Operation<T> : Operation
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _cancellation;

    protected Operation(string? path)
        : base(path)
    {
    }

    public Task<T> Task => _completion.Task;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    /// <summary>Lets the caller stop waiting; the request itself stays in the pipeline and its reply is ignored.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Operation<T>)state!).Cancel(token), this);
        }
    }

    public override void Complete(ZooKeeperErrorCode error, ref JuteReader body)
    {
        if (error == ZooKeeperErrorCode.Ok)
        {
            CompleteWith(Read(ref body));
        }
        else if (TryReadError(error, out var result))
        {
            CompleteWith(result);
        }
        else
        {
            Fail(ZooKeeperException.Create(error, Path));
        }
    }

    public override void Fail(Exception exception)
    {
        _cancellation.Dispose();
        _completion.TrySetException(exception);
    }

    protected abstract T Read(ref JuteReader body);

    /// <summary>Turns an expected error into a result (exists: NoNode is <see langword="null"/>).</summary>
    protected virtual bool TryReadError(ZooKeeperErrorCode error, out T result)
    {
        result = default!;
        return false;
    }

    protected void CompleteWith(T result)
    {
        _cancellation.Dispose();
        _completion.TrySetResult(result);
    }

    private void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
}

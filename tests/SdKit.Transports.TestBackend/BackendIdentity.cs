namespace SdKit.Transports.TestBackend;

/// <summary>The backend's URL (what it registers and answers with) and the number of calls it has served.</summary>
public sealed class BackendIdentity(string url)
{
    private long _served;

    /// <summary>Gets the URL the backend listens on and registers, for example <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; } = url;

    /// <summary>Gets the number of calls served so far (gRPC and HTTP).</summary>
    public long ServedCount => Interlocked.Read(ref _served);

    /// <summary>Gets or sets what runs on every served call, with the time it arrived (tests record arrivals here).</summary>
    public Action<long>? OnServed { get; set; }

    /// <summary>Counts one served call.</summary>
    public void Served()
    {
        Interlocked.Increment(ref _served);
        OnServed?.Invoke(System.Diagnostics.Stopwatch.GetTimestamp());
    }
}

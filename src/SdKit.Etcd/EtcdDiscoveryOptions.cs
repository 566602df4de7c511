using System.Globalization;

namespace SdKit.Etcd;

/// <summary>
/// How an <see cref="EtcdDiscoveryClient"/> reaches etcd and keeps its lease: endpoints, lease TTL, deadlines,
/// credentials and TLS files.
/// </summary>
public sealed class EtcdDiscoveryOptions
{
    /// <summary>Gets the client URLs of the cluster's members, for example <c>http://127.0.0.1:2379</c>.</summary>
    /// <value>Every URL is absolute, with scheme <c>http</c> or <c>https</c> (all the same scheme) and a port.</value>
    public IList<string> Endpoints { get; } = [];

    /// <summary>Gets or sets the TTL of the client's lease: how long entries outlive a client that stopped keeping them alive.</summary>
    /// <value>The default value is 10 seconds. Whole seconds, at least 1 (etcd may round it up to its minimum).</value>
    public TimeSpan LeaseTtl { get; set; } = EtcdDefaults.LeaseTtl;

    /// <summary>Gets or sets how often the lease is kept alive.</summary>
    /// <value>The default value is <see langword="null"/>: a third of <see cref="LeaseTtl"/>. Must be shorter than the TTL.</value>
    public TimeSpan? KeepAliveInterval { get; set; }

    /// <summary>Gets or sets the deadline of every single request (get, put, delete, lease grant and revoke).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = EtcdDefaults.RequestTimeout;

    /// <summary>Gets or sets the longest pause between retries of the background loops (keep-alive, re-grant, watch resume).</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan MaxRetryDelay { get; set; } = EtcdDefaults.MaxRetryDelay;

    /// <summary>
    /// Gets or sets how many times in a row a broken watch is resumed from its last revision before the failure is
    /// thrown to the caller (normally an instancer, which backs off and watches again).
    /// </summary>
    /// <value>The default value is 3.</value>
    public int WatchResumeAttempts { get; set; } = EtcdDefaults.WatchResumeAttempts;

    /// <summary>Gets or sets the user name for etcd authentication, or <see langword="null"/> when auth is off.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password of <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets a PEM file with the CA certificate(s) that signed the servers' certificates (https endpoints).</summary>
    /// <value>The default value is <see langword="null"/>: the operating system's trusted roots.</value>
    public string? TrustedCaFile { get; set; }

    /// <summary>Gets or sets a PEM file with the client certificate, for servers started with <c>--client-cert-auth</c>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>Gets or sets the PEM file with the private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// Gets or sets the format of the values in this registry, by name (one of
    /// <see cref="SdKit.Instances.Codecs.InstanceFormats.Names"/>: <c>plain</c>, <c>seed-etcd-json</c>, <c>sdkit-json</c>,
    /// <c>curator</c>): the codec that typed views and the hosted registration use
    /// (<see cref="SdKit.Instances.Codecs.InstanceFormats.CreateCodec"/>).
    /// </summary>
    /// <value>The default value is <c>plain</c> (go-kit's bare strings).</value>
    public string InstanceFormat { get; set; } = SdKit.Instances.Codecs.InstanceFormats.Plain;

    /// <summary>Gets the keep-alive interval in effect: <see cref="KeepAliveInterval"/> or a third of the TTL.</summary>
    internal TimeSpan EffectiveKeepAliveInterval => KeepAliveInterval ?? LeaseTtl / 3;

    /// <summary>Gets a value indicating whether the endpoints use TLS.</summary>
    internal bool UsesTls => Endpoints.Count > 0 && Endpoints[0].StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Throws one <see cref="ArgumentException"/> naming every problem, or returns when the options are usable.
    /// <see cref="EtcdDiscoveryClient.ConnectAsync"/> calls it; a host calls it at startup, so configuration that can
    /// never work fails before the application serves.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names every problem and its value.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Endpoints.Count == 0)
        {
            problems.Add("Endpoints is empty: give at least one client URL such as 'http://127.0.0.1:2379'.");
        }

        var schemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in Endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.IsDefaultPort || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                problems.Add($"Endpoint '{endpoint}' is not a client URL of the form 'http://host:port' or 'https://host:port'.");
                continue;
            }

            schemes.Add(uri.Scheme);
        }

        if (schemes.Count > 1)
        {
            problems.Add("Endpoints mix 'http' and 'https'; use one scheme for every member.");
        }

        if (LeaseTtl < TimeSpan.FromSeconds(1) || LeaseTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problems.Add($"LeaseTtl {LeaseTtl} must be a whole number of seconds, at least 1 (etcd leases count in seconds).");
        }

        if (EffectiveKeepAliveInterval <= TimeSpan.Zero || EffectiveKeepAliveInterval >= LeaseTtl)
        {
            problems.Add($"KeepAliveInterval {EffectiveKeepAliveInterval} must be positive and shorter than LeaseTtl {LeaseTtl}.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"RequestTimeout {RequestTimeout} must be positive.");
        }

        if (MaxRetryDelay <= TimeSpan.Zero)
        {
            problems.Add($"MaxRetryDelay {MaxRetryDelay} must be positive.");
        }

        if (WatchResumeAttempts < 0)
        {
            problems.Add($"WatchResumeAttempts {WatchResumeAttempts.ToString(CultureInfo.InvariantCulture)} must not be negative.");
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            problems.Add("Username and Password go together: give both or neither.");
        }

        if (!SdKit.Instances.Codecs.InstanceFormats.IsKnown(InstanceFormat))
        {
            problems.Add($"InstanceFormat '{InstanceFormat}' is not an instance format (known: {string.Join(", ", SdKit.Instances.Codecs.InstanceFormats.Names)}).");
        }

        ValidateTls(problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid etcd options: " + string.Join(" ", problems), "options");
        }
    }

    private void ValidateTls(List<string> problems)
    {
        if ((ClientCertificateFile is null) != (ClientKeyFile is null))
        {
            problems.Add("ClientCertificateFile and ClientKeyFile go together: give both or neither.");
        }

        var anyTlsFile = TrustedCaFile is not null || ClientCertificateFile is not null;
        if (anyTlsFile && !UsesTls)
        {
            problems.Add("TLS files are set but the endpoints use 'http'; use 'https://' endpoints.");
        }

        foreach (var (name, path) in new[] { (nameof(TrustedCaFile), TrustedCaFile), (nameof(ClientCertificateFile), ClientCertificateFile), (nameof(ClientKeyFile), ClientKeyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                problems.Add($"{name} '{path}' does not exist.");
            }
        }
    }
}

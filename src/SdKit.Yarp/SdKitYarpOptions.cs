namespace SdKit.Yarp;

/// <summary>Settings of SdKit's YARP destinations (<c>AddSdKitDestinations</c>).</summary>
public sealed class SdKitYarpOptions
{
    /// <summary>Gets or sets the scheme given to an instance registered as <c>host:port</c> (a URI instance keeps its own).</summary>
    /// <value>The default value is <c>http</c>.</value>
    public string DefaultScheme { get; set; } = Uri.UriSchemeHttp;

    /// <summary>
    /// Gets or sets how long a resolution waits for the registry's first answer about a service before it gives the
    /// cluster no destination for it (YARP answers 503) and goes on waiting; the answer then updates the cluster.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan FirstAnswerTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

using System.ComponentModel.DataAnnotations;

namespace SdKit.Hosting.Options;

/// <summary>Capped exponential backoff with jitter for a background retry loop.</summary>
public sealed class SdKitRetryOptions
{
    /// <summary>Gets or sets the delay before the first retry.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan InitialDelay { get; set; } = SdKitConstants.DefaultRetryInitialDelay;

    /// <summary>Gets or sets the largest delay between two retries.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = SdKitConstants.DefaultRetryMaxDelay;
}

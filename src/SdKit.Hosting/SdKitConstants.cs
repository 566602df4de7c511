namespace SdKit.Hosting;

/// <summary>Default values of the hosting options, in one place.</summary>
internal static class SdKitConstants
{
    public const string DefaultServicesPath = "/services";

    public static readonly TimeSpan DefaultDeregisterTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultFirstSnapshotTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultRetryInitialDelay = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(30);
}

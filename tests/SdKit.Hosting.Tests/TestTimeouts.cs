namespace SdKit.Hosting.Tests;

/// <summary>Upper bounds for awaited events: generous, since they bound waits that normally end in milliseconds.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Event = TimeSpan.FromSeconds(10);
}

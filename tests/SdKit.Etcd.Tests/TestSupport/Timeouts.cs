namespace SdKit.Etcd.Tests.TestSupport;

/// <summary>Upper bounds for awaited events: generous for a busy 2-core machine, never a synchronization sleep.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(15);
}

using SdKit.Endpoints;
using SdKit.Instances;

namespace SdKit.Benchmarks.Micro;

/// <summary>Instance lists and endpointers shared by the micro benchmarks.</summary>
internal static class MicroSetup
{
    /// <summary>Returns <paramref name="count"/> instance strings like a registry would hold them.</summary>
    public static string[] Instances(int count, int offset = 0)
        => [.. Enumerable.Range(offset, count).Select(i => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}:8080")];

    /// <summary>Returns two events over <paramref name="count"/> instances that differ in exactly one instance.</summary>
    public static (InstanceEvent First, InstanceEvent Second) AlternatingEvents(int count)
    {
        var first = Instances(count);
        var second = (string[])first.Clone();
        second[count / 2] = "192.168.0.1:9090";
        return (new InstanceEvent(first), new InstanceEvent(second));
    }

    /// <summary>Creates an endpointer over <paramref name="initial"/> whose endpoints are plain objects.</summary>
    public static Endpointer<object> Endpointer(InstanceEvent initial)
        => new(new FixedInstancer(initial.Instances), static instance => (new Endpoint(instance), null));

    /// <summary>A stand-in endpoint.</summary>
    public sealed record Endpoint(string Instance);
}

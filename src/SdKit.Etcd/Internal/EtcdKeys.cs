using Google.Protobuf;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>
/// The key layout: an entry of service path <c>P</c> is the key <c>P/id</c>; a watch of <c>P</c> covers exactly the
/// keys that start with <c>P/</c> and have no further <c>/</c>, so <c>/svc/foo</c> never matches <c>/svc/foobar/x</c>.
/// </summary>
internal static class EtcdKeys
{
    /// <summary>Returns the watched prefix of <paramref name="servicePath"/> (the path plus <c>/</c>), after checking it.</summary>
    public static string Prefix(string servicePath, string paramName = "servicePath")
    {
        servicePath = ServicePaths.Normalize(servicePath, paramName);
        for (var i = 0; i < servicePath.Length; i++)
        {
            if (char.IsControl(servicePath[i]))
            {
                throw new ArgumentException($"The service path '{servicePath.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a control character at index {i}; etcd keys here are printable text.", paramName);
            }
        }

        return servicePath + "/";
    }

    /// <summary>Returns the key of an entry with <paramref name="id"/> under <paramref name="servicePath"/>.</summary>
    public static string Key(string servicePath, string id, string paramName = "entry")
    {
        var prefix = Prefix(servicePath, paramName);
        if (id.Any(char.IsControl))
        {
            throw new ArgumentException($"The instance id '{id}' holds a control character.", paramName);
        }

        return prefix + id;
    }

    /// <summary>Returns the end of the key range holding every key that starts with <paramref name="prefix"/>.</summary>
    public static ByteString RangeEnd(ByteString prefix)
    {
        var end = prefix.ToByteArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        // Only 0xff bytes: etcd reads "\0" as "to the end of the key space".
        return ByteString.CopyFrom(0);
    }

    /// <summary>Whether <paramref name="key"/> is an entry directly below the prefix (no deeper <c>/</c>).</summary>
    public static bool IsEntry(string key, string prefix)
        => key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && key.IndexOf('/', prefix.Length) < 0;
}

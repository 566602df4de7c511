using System.Text;

namespace SdKit.Instances.Codecs;

/// <summary>
/// The strings a decoder meets again and again (metadata keys, and short values such as a zone or a version), made
/// once from their UTF-8 bytes and shared: ten thousand instances of one service then hold three key strings, not
/// thirty thousand, and decoding them allocates nothing. A small direct-mapped table, safe for concurrent use: a
/// colliding string replaces the slot's, so a set of distinct values bigger than the table costs a lookup, not memory.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Slots = 1024;

    private readonly Entry?[] _entries = new Entry?[Slots];
    private readonly int _maxBytes;

    /// <param name="maxBytes">Longer strings are never shared (they are rarely repeated, and costly to compare).</param>
    public Utf8StringCache(int maxBytes) => _maxBytes = maxBytes;

    /// <summary>Gets the shared string of these UTF-8 bytes (unescaped), making and keeping it the first time.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref _entries[(uint)hash.ToHashCode() % Slots];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref slot, new Entry(utf8.ToArray(), value));
        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}

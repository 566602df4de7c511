using System.Buffers.Binary;
using System.Text;

namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>
/// Reads jute-encoded values from one frame. Every length is checked against what is left of the frame before
/// anything is allocated, so a malformed frame can only raise <see cref="ZooKeeperProtocolException"/>.
/// </summary>
internal ref struct JuteReader
{
    private const int StatSize = 68;

    // The smallest encodings of a vector element: a string is at least its 4-byte length, an ACL is 4 + 4 + 4.
    private const int MinStringSize = 4;
    private const int MinAclSize = 12;

    private readonly ReadOnlySpan<byte> _frame;
    private int _position;

    public JuteReader(ReadOnlySpan<byte> frame)
    {
        _frame = frame;
        _position = 0;
    }

    /// <summary>Gets the number of unread bytes.</summary>
    public readonly int Remaining => _frame.Length - _position;

    public int ReadInt()
    {
        Need(4, "int");
        var value = BinaryPrimitives.ReadInt32BigEndian(_frame[_position..]);
        _position += 4;
        return value;
    }

    public long ReadLong()
    {
        Need(8, "long");
        var value = BinaryPrimitives.ReadInt64BigEndian(_frame[_position..]);
        _position += 8;
        return value;
    }

    public bool ReadBool()
    {
        Need(1, "boolean");
        return _frame[_position++] != 0;
    }

    /// <summary>Reads a buffer; a null buffer (length -1) reads as empty.</summary>
    public byte[] ReadBuffer()
    {
        var length = ReadLength("buffer");
        if (length <= 0)
        {
            return [];
        }

        var value = _frame.Slice(_position, length).ToArray();
        _position += length;
        return value;
    }

    /// <summary>Reads a buffer as UTF-8 text without copying it first; a null or empty buffer reads as an empty string.</summary>
    public string ReadBufferAsString()
    {
        var length = ReadLength("buffer");
        if (length <= 0)
        {
            return string.Empty;
        }

        var value = Encoding.UTF8.GetString(_frame.Slice(_position, length));
        _position += length;
        return value;
    }

    /// <summary>Reads a ustring; a null string (length -1) reads as <see langword="null"/>.</summary>
    public string? ReadString()
    {
        var length = ReadLength("ustring");
        if (length < 0)
        {
            return null;
        }

        var value = Encoding.UTF8.GetString(_frame.Slice(_position, length));
        _position += length;
        return value;
    }

    /// <summary>Reads a vector of ustrings; a null vector reads as empty, null elements as empty strings.</summary>
    public List<string> ReadStrings()
    {
        var count = ReadCount(MinStringSize, "vector<ustring>");
        var values = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(ReadString() ?? string.Empty);
        }

        return values;
    }

    public NodeStat ReadStat()
    {
        Need(StatSize, "Stat");
        return new NodeStat(
            CreatedZxid: ReadLong(),
            ModifiedZxid: ReadLong(),
            CreatedTime: ReadLong(),
            ModifiedTime: ReadLong(),
            Version: ReadInt(),
            ChildVersion: ReadInt(),
            AclVersion: ReadInt(),
            EphemeralOwner: ReadLong(),
            DataLength: ReadInt(),
            ChildCount: ReadInt(),
            ChildrenZxid: ReadLong());
    }

    public List<ZooKeeperAcl> ReadAcls()
    {
        var count = ReadCount(MinAclSize, "vector<ACL>");
        var values = new List<ZooKeeperAcl>(count);
        for (var i = 0; i < count; i++)
        {
            var permissions = (ZooKeeperPermissions)ReadInt();
            var scheme = ReadString() ?? string.Empty;
            var id = ReadString() ?? string.Empty;
            values.Add(new ZooKeeperAcl(permissions, scheme, id));
        }

        return values;
    }

    private int ReadLength(string what)
    {
        var length = ReadInt();
        if (length < -1 || length > Remaining)
        {
            throw new ZooKeeperProtocolException($"A {what} length of {length} does not fit the {Remaining} bytes left in the frame.");
        }

        return length;
    }

    private int ReadCount(int minElementSize, string what)
    {
        var count = ReadInt();
        if (count == -1)
        {
            return 0;
        }

        if (count < 0 || count > Remaining / minElementSize)
        {
            throw new ZooKeeperProtocolException($"A {what} count of {count} does not fit the {Remaining} bytes left in the frame.");
        }

        return count;
    }

    private readonly void Need(int count, string what)
    {
        if (Remaining < count)
        {
            throw new ZooKeeperProtocolException($"The frame ends before its {what}: {count} bytes needed, {Remaining} left.");
        }
    }
}

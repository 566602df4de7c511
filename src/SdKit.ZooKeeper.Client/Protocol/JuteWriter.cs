using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>
/// Writes jute-encoded frames (big-endian, length-prefixed) into one pooled buffer, so a batch of pipelined requests
/// goes to the socket in a single send.
/// </summary>
internal sealed class JuteWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public JuteWriter(int initialCapacity = 16 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Gets the number of bytes written since the last <see cref="Reset"/>.</summary>
    public int Length => _position;

    /// <summary>Gets the bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _position);

    public void Reset() => _position = 0;

    /// <summary>Drops everything written after <paramref name="position"/> (a frame that turned out too large).</summary>
    public void Truncate(int position) => _position = position;

    /// <summary>Reserves the 4-byte length prefix of a frame and returns where the frame starts.</summary>
    public int BeginFrame()
    {
        var start = _position;
        Ensure(4);
        _position += 4;
        return start;
    }

    /// <summary>Fills in the length prefix of the frame begun at <paramref name="start"/>; returns the frame's length.</summary>
    public int EndFrame(int start)
    {
        var length = _position - start - 4;
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), length);
        return length;
    }

    public void WriteInt(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    public void WriteLong(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteBool(bool value)
    {
        Ensure(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    /// <summary>Writes a ustring; <see langword="null"/> is encoded as length -1.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt(-1);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        WriteInt(count);
        Ensure(count);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    public void WriteStrings(IReadOnlyList<string> values)
    {
        WriteInt(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            WriteString(values[i]);
        }
    }

    public void WriteAcls(IReadOnlyList<ZooKeeperAcl> acls)
    {
        WriteInt(acls.Count);
        for (var i = 0; i < acls.Count; i++)
        {
            WriteInt((int)acls[i].Permissions);
            WriteString(acls[i].Scheme);
            WriteString(acls[i].Id);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _position >= count)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer.AsSpan(0, _position).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}

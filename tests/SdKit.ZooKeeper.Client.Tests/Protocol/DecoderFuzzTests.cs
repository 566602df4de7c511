using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Tests.Protocol;

/// <summary>
/// Feeds random and mutated reply frames to every decoder: the only exception allowed is
/// <see cref="ZooKeeperProtocolException"/>, and no decode may allocate much more than the frame's size.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Iterations = 20_000;

    private static readonly Func<Operation>[] s_operations =
    [
        () => new ExistsOperation("/p", "/p", false),
        () => new GetDataOperation("/p", "/p", false),
        () => new GetChildrenOperation("/p", "/p", false),
        () => new GetAclOperation("/p", "/p"),
        () => new SetDataOperation("/p", "/p", default, -1),
        () => new CreateOperation("/p", new CreateRequest("/p", default, ZooKeeperAcl.OpenUnsafe, CreateMode.Persistent, 0), "/chroot"),
        () => new GetEphemeralsOperation("/", "/", null),
        () => new GetAllChildrenNumberOperation("/p", "/p"),
        () => new MultiOperation([MultiOp.Create("/a", default), MultiOp.Delete("/b"), MultiOp.SetData("/c", default)], [], null),
    ];

    [Fact]
    public void Decode_RandomFrames_OnlyProtocolExceptionsAndBoundedAllocation()
    {
        var random = new Random(20260101);
        for (var i = 0; i < Iterations; i++)
        {
            var frame = new byte[random.Next(0, 200)];
            random.NextBytes(frame);
            DecodeChecked(frame, s_operations[i % s_operations.Length]());
        }
    }

    [Fact]
    public void Decode_MutatedValidFrames_OnlyProtocolExceptionsAndBoundedAllocation()
    {
        var random = new Random(42);
        var seeds = ValidFrames();
        for (var i = 0; i < Iterations; i++)
        {
            var (frame, factory) = seeds[i % seeds.Count];
            var mutated = Mutate(frame, random);
            DecodeChecked(mutated, factory());
        }
    }

    [Fact]
    public void Decode_ValidFrames_Succeed()
    {
        foreach (var (frame, factory) in ValidFrames())
        {
            var operation = factory();
            var isReply = Decode(frame, operation);
            Assert.Equal(isReply, operation.IsCompleted);
        }
    }

    private static void DecodeChecked(byte[] frame, Operation operation)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            _ = Decode(frame, operation);
        }
        catch (ZooKeeperProtocolException)
        {
            // The one allowed failure.
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024 + (frame.Length * 16), $"Decoding a {frame.Length}-byte frame allocated {allocated} bytes.");
    }

    /// <summary>What the read loop does with one reply frame, minus the pending FIFO.</summary>
    private static bool Decode(byte[] frame, Operation operation)
    {
        var reader = new JuteReader(frame);
        var header = ReplyHeader.Read(ref reader);
        if (header.Xid == SpecialXid.Notification)
        {
            _ = WatcherEvent.Read(ref reader);
            return false;
        }

        if (frame.Length > 0 && (frame[0] & 1) == 1)
        {
            _ = ConnectResponse.Read(frame);
        }

        operation.Complete(header.Error, ref reader);
        return true;
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        var copy = frame.ToArray();
        switch (random.Next(4))
        {
            case 0:
                return copy[..random.Next(0, copy.Length)];
            case 1:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                return copy;
            case 2:
                var at = random.Next(16, Math.Max(17, copy.Length - 4));
                if (at + 4 <= copy.Length)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(at), random.Next(2) == 0 ? int.MaxValue : -random.Next(2, 100));
                }

                return copy;
            default:
                var longer = new byte[copy.Length + random.Next(1, 32)];
                copy.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(copy.Length));
                return longer;
        }
    }

    private static List<(byte[] Frame, Func<Operation> Factory)> ValidFrames()
    {
        var stat = new byte[68];
        stat[40] = 1;
        return
        [
            (Reply(1, w => Raw(w, stat)), s_operations[0]),
            (Reply(1, w => { w.WriteBuffer([1, 2, 3]); Raw(w, stat); }), s_operations[1]),
            (Reply(1, w => { w.WriteStrings(["a", "bb"]); Raw(w, stat); }), s_operations[2]),
            (Reply(1, w => { w.WriteAcls(ZooKeeperAcl.OpenUnsafe); Raw(w, stat); }), s_operations[3]),
            (Reply(1, w => Raw(w, stat)), s_operations[4]),
            (Reply(1, w => { w.WriteString("/chroot/p"); Raw(w, stat); }), s_operations[5]),
            (Reply(1, w => w.WriteStrings(["/e1", "/e2"])), s_operations[6]),
            (Reply(1, w => w.WriteInt(3)), s_operations[7]),
            (Reply(1, w =>
            {
                MultiHeader(w, OpCode.Create, 0);
                w.WriteString("/a");
                MultiHeader(w, OpCode.Delete, 0);
                MultiHeader(w, OpCode.SetData, 0);
                Raw(w, stat);
                w.WriteInt(-1);
                w.WriteBool(true);
                w.WriteInt(-1);
            }), s_operations[8]),
            (Reply(-1, w => { w.WriteInt(3); w.WriteInt(3); w.WriteString("/watched"); }), s_operations[0]),
        ];
    }

    private static byte[] Reply(int xid, Action<JuteWriter> body)
    {
        using var writer = new JuteWriter();
        writer.WriteInt(xid);
        writer.WriteLong(xid == -1 ? -1 : 77);
        writer.WriteInt(0);
        body(writer);
        return writer.Written.ToArray();
    }

    /// <summary>Writes raw bytes that are all 0 or 1 (enough for the Stat used here) through the public writer.</summary>
    private static void Raw(JuteWriter writer, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            writer.WriteBool(b != 0);
        }
    }

    private static void MultiHeader(JuteWriter writer, OpCode type, int error)
    {
        writer.WriteInt((int)type);
        writer.WriteBool(false);
        writer.WriteInt(error);
    }
}

using System.Runtime.InteropServices;

namespace SdKit.LoadBalancing;

/// <summary>One processor's round-robin position, alone on its cache line so cores never share one.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedPosition
{
    [FieldOffset(64)]
    public int Position;
}

using System.Runtime.InteropServices;

namespace SdKit.LoadBalancing;

/// <summary>A round-robin counter alone on its cache line, so updating it does not invalidate neighbouring fields.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedPosition
{
    [FieldOffset(64)]
    public int Position;
}

using System.Diagnostics;
using SdKit.Endpoints;
using SdKit.Instances;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// Applies one endpointer update per millisecond in the background (one instance replaced each time), the writer
/// load under which reads and picks are measured.
/// </summary>
internal sealed class UpdateWriter : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stopping;

    public UpdateWriter(Endpointer<object> endpointer, InstanceEvent first, InstanceEvent second)
    {
        _thread = new Thread(() =>
        {
            var flip = false;
            var clock = Stopwatch.StartNew();
            var next = TimeSpan.Zero;
            while (!_stopping)
            {
                endpointer.Apply(flip ? first : second);
                flip = !flip;
                Updates++;
                next += TimeSpan.FromMilliseconds(1);
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }
            }
        })
        { IsBackground = true, Name = "benchmark-writer" };
        _thread.Start();
    }

    public long Updates { get; private set; }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }
}

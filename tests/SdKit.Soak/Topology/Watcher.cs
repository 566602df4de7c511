using SdKit.Endpoints;
using SdKit.Instances;

namespace SdKit.Soak.Topology;

/// <summary>
/// An instancer with an endpointer on top, as an application would hold them. Endpoint closers are counted so that
/// the end of the run can check none leaked: open endpoints must equal the endpointer's current count.
/// </summary>
internal sealed class Watcher : IAsyncDisposable
{
    private int _opened;
    private int _closed;

    public Watcher(int index, string servicePath, SoakClient client, Instancer instancer, Func<Watcher, Endpointer<string>> endpointer)
    {
        Index = index;
        ServicePath = servicePath;
        Client = client;
        Instancer = instancer;
        Endpointer = endpointer(this);
    }

    public int Index { get; }

    public string ServicePath { get; }

    public SoakClient Client { get; }

    public Instancer Instancer { get; }

    public Endpointer<string> Endpointer { get; }

    public int OpenEndpoints => Volatile.Read(ref _opened) - Volatile.Read(ref _closed);

    public (string Endpoint, IAsyncDisposable? Closer) Create(string instance)
    {
        Interlocked.Increment(ref _opened);
        return (instance, new Closer(this));
    }

    public async ValueTask DisposeAsync()
    {
        await Endpointer.DisposeAsync().ConfigureAwait(false);
        await Instancer.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Closer(Watcher owner) : IAsyncDisposable
    {
        private int _done;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Increment(ref owner._closed);
            }

            return ValueTask.CompletedTask;
        }
    }
}

namespace SdKit.Endpoints;

/// <content>The two sides of a merge: the previous set, and the arrays of the next one with bulk copies of kept runs.</content>
public sealed partial class Endpointer<T>
{
    private readonly struct MergeSource(T[] items, string[] names, IAsyncDisposable?[]? closers)
    {
        public T[] Items { get; } = items;

        public string[] Names { get; } = names;

        public IAsyncDisposable?[]? Closers { get; } = closers;

        public void Remove(int index, ref List<IAsyncDisposable?>? removed)
        {
            if (Closers?[index] is { } closer)
            {
                (removed ??= []).Add(closer);
            }
        }
    }

    private struct MergeTarget(int capacity)
    {
        private readonly T[] _endpoints = new T[capacity];
        private readonly string[] _names = new string[capacity];
        private IAsyncDisposable?[]? _closers;
        private int _runSource;
        private int _runTarget;
        private int _runLength;

        public int Count { get; private set; }

        public int Kept { get; private set; }

        /// <summary>Keeps source entry <paramref name="index"/>, extending the current run when it is contiguous.</summary>
        public void Keep(in MergeSource source, int index)
        {
            if (_runLength > 0 && _runSource + _runLength == index && _runTarget + _runLength == Count)
            {
                _runLength++;
            }
            else
            {
                Flush(in source);
                _runSource = index;
                _runTarget = Count;
                _runLength = 1;
            }

            Count++;
            Kept++;
        }

        public void Add(in MergeSource source, T endpoint, string name, IAsyncDisposable? closer)
        {
            Flush(in source);
            _endpoints[Count] = endpoint;
            _names[Count] = name;
            if (closer is not null)
            {
                (_closers ??= new IAsyncDisposable?[_endpoints.Length])[Count] = closer;
            }

            Count++;
        }

        public void Flush(in MergeSource source)
        {
            if (_runLength == 0)
            {
                return;
            }

            Array.Copy(source.Items, _runSource, _endpoints, _runTarget, _runLength);
            Array.Copy(source.Names, _runSource, _names, _runTarget, _runLength);
            if (source.Closers is not null)
            {
                Array.Copy(source.Closers, _runSource, _closers ??= new IAsyncDisposable?[_endpoints.Length], _runTarget, _runLength);
            }

            _runLength = 0;
        }

        public readonly T[] Endpoints() => Count == _endpoints.Length ? _endpoints : _endpoints[..Count];

        public readonly string[] Names() => Count == _names.Length ? _names : _names[..Count];

        public readonly IAsyncDisposable?[]? Closers() => _closers is null || Count == _closers.Length ? _closers : _closers[..Count];
    }
}

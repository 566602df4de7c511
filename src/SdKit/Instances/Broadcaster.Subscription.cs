using System.Collections.Concurrent;

namespace SdKit.Instances;

/// <content>One subscriber's queue and its drain, run by at most one thread at a time.</content>
internal sealed partial class Broadcaster<T>
{
    private sealed class Subscription(Broadcaster<T> owner, IObserver<T> observer) : IDisposable, IThreadPoolWorkItem
    {
        private readonly ConcurrentQueue<Notification> _queue = new();
        private int _draining;
        private volatile bool _disposed;

        public void Enqueue(Notification notification, bool schedule = true)
        {
            _queue.Enqueue(notification);
            if (schedule && Interlocked.Exchange(ref _draining, 1) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        public void DrainInline()
        {
            if (Interlocked.Exchange(ref _draining, 1) == 0)
            {
                Drain();
            }
        }

        public void Execute() => Drain();

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }

        private void Drain()
        {
            while (true)
            {
                while (_queue.TryDequeue(out var notification))
                {
                    if (_disposed)
                    {
                        _queue.Clear();
                        break;
                    }

                    Deliver(notification);
                }

                Volatile.Write(ref _draining, 0);

                // A value enqueued after the last TryDequeue but before the flag cleared saw the flag set and
                // scheduled nothing: take the flag back and go on draining it here.
                if (_queue.IsEmpty || Interlocked.Exchange(ref _draining, 1) != 0)
                {
                    return;
                }
            }
        }

        private void Deliver(Notification notification)
        {
            try
            {
                if (notification.Completed)
                {
                    _disposed = true;
                    observer.OnCompleted();
                }
                else
                {
                    observer.OnNext(notification.Value);
                }
            }
#pragma warning disable CA1031 // An observer's failure is its own: report it and keep serving everyone else.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                owner._onObserverError(ex);
            }
        }
    }
}

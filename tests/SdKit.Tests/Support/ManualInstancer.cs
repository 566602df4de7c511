using SdKit.Instances;

namespace SdKit.Tests.Support;

/// <summary>An instancer a test drives by hand, built on the same broadcaster as the real one.</summary>
internal sealed class ManualInstancer : IInstancer
{
    private readonly Broadcaster<InstanceEvent> _events = new(InstanceEvent.Empty, _ => { });
    private readonly TaskCompletionSource _firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InstanceEvent Current => _events.Current;

    public int SubscriberCount => _events.SubscriberCount;

    public void Publish(params string[] instances)
    {
        _events.Publish(new InstanceEvent(instances));
        _firstEvent.TrySetResult();
    }

    public void Fail(Exception error)
    {
        _events.Publish(_events.Current.WithError(error));
        _firstEvent.TrySetResult();
    }

    public IDisposable Subscribe(IObserver<InstanceEvent> observer) => _events.Subscribe(observer);

    public async ValueTask<InstanceEvent> WaitForFirstEventAsync(CancellationToken cancellationToken = default)
    {
        await _firstEvent.Task.WaitAsync(cancellationToken);
        return _events.Current;
    }

    public ValueTask DisposeAsync()
    {
        _events.Complete();
        return ValueTask.CompletedTask;
    }
}

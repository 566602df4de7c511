using SdKit.Instances;

namespace SdKit.Tests.Support;

/// <summary>An instancer a test drives by hand, built on the same broadcaster as the real one.</summary>
internal sealed class ManualInstancer : IInstancer
{
    private readonly Broadcaster<InstanceEvent> _events = new(InstanceEvent.Empty, _ => { });

    public InstanceEvent Current => _events.Current;

    public int SubscriberCount => _events.SubscriberCount;

    public void Publish(params string[] instances) => _events.Publish(new InstanceEvent(instances));

    public void Fail(Exception error) => _events.Publish(_events.Current.WithError(error));

    public IDisposable Subscribe(IObserver<InstanceEvent> observer) => _events.Subscribe(observer);

    public ValueTask DisposeAsync()
    {
        _events.Complete();
        return ValueTask.CompletedTask;
    }
}

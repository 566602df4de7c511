using SdKit.Instances;

namespace SdKit.Tests.Instances;

public sealed class InstanceEventTests
{
    [Fact]
    public void Equals_SameInstancesDifferentOrder_AreEqual()
    {
        Assert.Equal(new InstanceEvent(["b", "a"]), new InstanceEvent(["a", "b"]));
        Assert.Equal(new InstanceEvent(["b", "a"]).GetHashCode(), new InstanceEvent(["a", "b"]).GetHashCode());
    }

    [Fact]
    public void Instances_UnorderedOrOrderedInput_AreInOrdinalOrderAndACopy()
    {
        string[] unordered = ["b", "a", "B", "c"];
        string[] ordered = ["B", "a", "b", "c"];

        var fromUnordered = new InstanceEvent(unordered);
        var fromOrdered = new InstanceEvent(ordered);
        ordered[0] = "z";

        string[] expected = ["B", "a", "b", "c"];
        Assert.Equal(expected, fromUnordered.Instances.ToArray());
        Assert.Equal(expected, fromOrdered.Instances.ToArray());
        Assert.Equal(["b", "a", "B", "c"], unordered);
    }

    [Fact]
    public void Equals_ErrorsWithSameTypeAndMessage_AreEqual()
    {
        var a = new InstanceEvent(["x"], new InvalidOperationException("down"));
        var b = new InstanceEvent(["x"], new InvalidOperationException("down"));
        var c = new InstanceEvent(["x"], new TimeoutException("down"));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, a.WithError(null));
    }

    [Fact]
    public void WithError_KeepsInstances()
    {
        var error = new InvalidOperationException("down");

        var failed = new InstanceEvent(["b", "a"]).WithError(error);

        Assert.Equal(["a", "b"], failed.Instances.ToArray());
        Assert.Same(error, failed.Error);
    }

    [Fact]
    public void ChangesFrom_NamesWhatJoinedAndWhatLeft_CountingDuplicatesOneByOne()
    {
        var before = new InstanceEvent(["a:1", "b:2", "b:2", "c:3"]);
        var after = new InstanceEvent(["d:4", "b:2", "a:1", "e:5"]);

        var (joined, left) = after.ChangesFrom(before);

        Assert.Equal(["d:4", "e:5"], joined.ToArray());
        Assert.Equal(["b:2", "c:3"], left.ToArray());
        Assert.Equal(after.Instances.ToArray(), after.ChangesFrom(InstanceEvent.Empty).Joined.ToArray());
        Assert.Empty(after.ChangesFrom(after).Left);
    }
}

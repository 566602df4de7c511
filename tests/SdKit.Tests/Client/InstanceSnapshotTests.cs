using SdKit.Client;
using SdKit.Instances;

namespace SdKit.Tests.Client;

/// <summary>
/// A snapshot made from the previous one plus a change must be exactly what a full rebuild makes, and the events
/// made from such snapshots must report the same changes and equality as the full comparison does.
/// </summary>
public sealed class InstanceSnapshotTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Apply_RandomChanges_EqualsTheFullRebuildAndKnowsTheSameChangesAsTheMerge(int seed)
    {
        var random = new Random(seed);
        var reference = new List<string>();
        var snapshot = InstanceSnapshot.Empty;
        var previousEvent = new InstanceEvent(snapshot);
        for (var round = 0; round < 300; round++)
        {
            // Small pool of strings: duplicates, removals of absent strings, and strings both added and removed.
            var joined = Enumerable.Range(0, random.Next(0, 6)).Select(_ => Pick(random)).ToList();
            var left = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(3) == 0 || reference.Count == 0 ? Pick(random) : reference[random.Next(reference.Count)]).ToList();
            var expected = ApplyToMultiset(reference, joined, left);

            var next = snapshot.Apply(joined, left);

            var rebuilt = InstanceSnapshot.Create(expected);
            Assert.Equal(rebuilt.Instances.ToArray(), next.Instances.ToArray());
            Assert.Equal(expected.Order(StringComparer.Ordinal), next);

            var nextEvent = new InstanceEvent(next);
            var (joinedKnown, leftKnown) = nextEvent.ChangesFrom(previousEvent);
            var (joinedMerged, leftMerged) = new InstanceEvent(expected).ChangesFrom(new InstanceEvent(reference));
            Assert.Equal(joinedMerged.ToArray(), joinedKnown.ToArray());
            Assert.Equal(leftMerged.ToArray(), leftKnown.ToArray());
            Assert.Equal(new InstanceEvent(reference).Equals(new InstanceEvent(expected)), previousEvent.Equals(nextEvent));
            Assert.Equal(new InstanceEvent(expected), nextEvent);
            if (joinedKnown.IsEmpty && leftKnown.IsEmpty)
            {
                Assert.Same(snapshot, next);
            }

            reference = expected;
            snapshot = next;
            previousEvent = nextEvent;
        }
    }

    [Fact]
    public void Apply_AddedAndRemovedAgain_CancelsOutAndReturnsTheSameSnapshot()
    {
        var snapshot = InstanceSnapshot.Create(["b", "a"]);

        Assert.Same(snapshot, snapshot.Apply(["c"], ["c"]));
        Assert.Same(snapshot, snapshot.Apply([], ["absent"]));
        Assert.Same(snapshot, snapshot.Apply([], []));
    }

    [Fact]
    public void Apply_OneChangeInALargeSet_KeepsTheOldSnapshotAsItWas()
    {
        var all = Enumerable.Range(0, 10_000).Select(i => $"10.0.{i / 256}.{i % 256}:80").ToArray();
        var snapshot = InstanceSnapshot.Create(all);

        var next = snapshot.Apply(["10.9.9.9:80"], [all[5000]]);

        Assert.Equal(all.Length, snapshot.Count);
        Assert.Contains(all[5000], snapshot);
        Assert.DoesNotContain(all[5000], next);
        Assert.Equal(all.Where(i => i != all[5000]).Append("10.9.9.9:80").Order(StringComparer.Ordinal), next);
    }

    [Fact]
    public void InstanceEvent_FromASnapshot_SharesItsArrayAndKeepsItThroughWithError()
    {
        var snapshot = InstanceSnapshot.Create(["b", "a"]);
        var next = snapshot.Apply(["c"], ["a"]);
        var before = new InstanceEvent(snapshot).WithError(new InvalidOperationException("down"));

        var after = new InstanceEvent(next);

        Assert.Equal(next.Instances, after.Instances);
        var (joined, left) = after.ChangesFrom(before);
        Assert.Equal(["c"], joined.ToArray());
        Assert.Equal(["a"], left.ToArray());
        Assert.NotEqual(before, after);
        Assert.Equal(new InstanceEvent(snapshot), before.WithError(null));
    }

    [Fact]
    public void InstanceEvent_FromUnrelatedSnapshots_ComparesTheSets()
    {
        var a = InstanceSnapshot.Create(["x", "y"]);
        var b = InstanceSnapshot.Create(["y", "x"]);
        var c = b.Apply(["z"], []).Apply([], ["z"]);

        Assert.Equal(new InstanceEvent(a), new InstanceEvent(b));
        Assert.Equal(new InstanceEvent(a), new InstanceEvent(c));
        var (joined, left) = new InstanceEvent(b.Apply(["z"], [])).ChangesFrom(new InstanceEvent(a));
        Assert.Equal(["z"], joined.ToArray());
        Assert.Empty(left);
    }

    private static string Pick(Random random) => $"10.0.0.{random.Next(0, 12)}:80";

    private static List<string> ApplyToMultiset(List<string> reference, List<string> joined, List<string> left)
    {
        // Multiset arithmetic: a string in both lists cancels copy by copy, a removal of a string not held is ignored.
        var added = joined.ToList();
        var removed = new List<string>();
        foreach (var instance in left)
        {
            if (!added.Remove(instance))
            {
                removed.Add(instance);
            }
        }

        var result = reference.ToList();
        foreach (var instance in removed)
        {
            result.Remove(instance);
        }

        result.AddRange(added);
        return result;
    }
}

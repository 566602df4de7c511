using System.Runtime.InteropServices;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Tests.Support;

namespace SdKit.Tests.Endpoints;

/// <summary>
/// Events that know their change (made from <see cref="InstanceSnapshot"/>s) are applied to the endpoint set without
/// a full merge; the result, the factory calls and the closers must be exactly those of the full merge.
/// </summary>
public sealed class EndpointerChangesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Apply_RandomChanges_SameSetsFactoryCallsAndClosersAsTheFullMerge(int seed)
    {
        var random = new Random(seed);
        var changesFactory = new RecordingFactory();
        var mergeFactory = new RecordingFactory();
        var byChanges = new Endpointer<string>(new ManualInstancer(), changesFactory.Factory);
        var byMerge = new Endpointer<string>(new ManualInstancer(), mergeFactory.Factory);
        var snapshot = InstanceSnapshot.Empty;
        for (var round = 0; round < 300; round++)
        {
            // Now and then the factory refuses a string (it must be retried on a later event) or accepts it again.
            if (random.Next(8) == 0)
            {
                var instance = Pick(random);
                if (random.Next(2) == 0)
                {
                    changesFactory.FailFor(instance);
                    mergeFactory.FailFor(instance);
                }
                else
                {
                    changesFactory.Heal(instance);
                    mergeFactory.Heal(instance);
                }
            }

            var joined = Enumerable.Range(0, random.Next(0, 5)).Select(_ => Pick(random)).ToList();
            var left = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(3) == 0 || snapshot.Count == 0 ? Pick(random) : snapshot[random.Next(snapshot.Count)]).ToList();
            snapshot = snapshot.Apply(joined, left);

            byChanges.Apply(new InstanceEvent(snapshot));
            byMerge.Apply(new InstanceEvent(snapshot.ToArray()));

            Assert.Equal(byMerge.Current.Instances.ToArray(), byChanges.Current.Instances.ToArray());
            Assert.Equal(byMerge.Current.ToArray(), byChanges.Current.ToArray());
            Assert.Equal(mergeFactory.Created, changesFactory.Created);
            Assert.Equal(byChanges.Current.Instances.ToArray(), LiveClosers(byChanges));
        }

        // Disposal closes what is left: every closer ever made closed exactly once means none leaked and none was closed while kept.
        await byChanges.DisposeAsync();
        await byMerge.DisposeAsync();
        Assert.All(changesFactory.Closers, c => Assert.Equal(1, c.DisposeCount));
        Assert.All(mergeFactory.Closers, c => Assert.Equal(1, c.DisposeCount));
    }

    [Fact]
    public async Task Apply_KnownChange_SharesTheEventsArrayAndKeepsUnchangedEndpoints()
    {
        var factory = new RecordingFactory();
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), factory.Factory);
        var first = InstanceSnapshot.Create(["a", "b", "c"]);
        endpointer.Apply(new InstanceEvent(first));
        var kept = endpointer.Current[2];

        var next = new InstanceEvent(first.Apply(["d"], ["a"]));
        endpointer.Apply(next);

        Assert.Equal(["b", "c", "d"], endpointer.Current.Instances.ToArray());
        Assert.Same(ImmutableCollectionsMarshal.AsArray(next.Instances), endpointer.Current.InstanceArray);
        Assert.Same(kept, endpointer.Current[1]);
        Assert.Equal(["a", "b", "c", "d"], factory.Created);
        await Assert.Single(factory.ClosersOf("a")).Disposed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["b", "c", "d"], LiveClosers(endpointer));
    }

    [Fact]
    public async Task Apply_SecondCopyJoinsAndLeaves_KeepsOneEndpoint()
    {
        var factory = new RecordingFactory();
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), factory.Factory);
        var first = InstanceSnapshot.Create(["a", "b"]);
        endpointer.Apply(new InstanceEvent(first));
        var twice = first.Apply(["a"], []);
        endpointer.Apply(new InstanceEvent(twice));
        var before = endpointer.Current;

        endpointer.Apply(new InstanceEvent(twice.Apply([], ["a"])));

        Assert.Same(before, endpointer.Current);
        Assert.Equal(["a", "b"], endpointer.Current.Instances.ToArray());
        Assert.Equal(["a", "b"], factory.Created);
        Assert.Equal(["a", "b"], LiveClosers(endpointer));
    }

    private static string Pick(Random random) => $"10.0.0.{random.Next(0, 12)}:80";

    private static string[] LiveClosers(Endpointer<string> endpointer)
        => [.. (endpointer.Current.Closers ?? []).Select(c => ((RecordingCloser)c!).Instance)];
}

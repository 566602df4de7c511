using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Tests.Support;

namespace SdKit.Tests.Endpoints;

public sealed class EndpointerMergeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Apply_RandomSequenceOfSets_MatchesSetsAndClosesExactlyTheRemoved(int seed)
    {
        var random = new Random(seed);
        var factory = new RecordingFactory();
        var endpointer = new Endpointer<string>(new ManualInstancer(), factory.Factory);
        var live = new HashSet<string>(StringComparer.Ordinal);

        for (var round = 0; round < 200; round++)
        {
            var next = Enumerable.Range(0, random.Next(0, 40)).Select(_ => $"i{random.Next(0, 60):D2}").ToArray();
            var createdBefore = factory.Created.Count;

            endpointer.Apply(new InstanceEvent(next));

            var expected = next.Distinct().Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, endpointer.Current.Instances.ToArray());
            Assert.Equal(expected.Select(i => "endpoint:" + i), endpointer.Current);
            var added = expected.Where(i => !live.Contains(i)).ToArray();
            Assert.Equal(added, factory.Created.Skip(createdBefore).ToArray());
            live = [.. expected];
        }

        await endpointer.DisposeAsync();
        Assert.All(factory.Closers, c => Assert.Equal(1, c.DisposeCount));
        Assert.Equal(factory.Created.Count, factory.Closers.Count);
    }

    [Fact]
    public async Task Apply_SameSetAgain_KeepsTheSameSnapshot()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), new RecordingFactory().Factory);
        endpointer.Apply(new InstanceEvent(["a", "b", "c"]));
        var before = endpointer.Current;

        endpointer.Apply(new InstanceEvent(["c", "b", "a", "a"]));

        Assert.Same(before, endpointer.Current);
    }
}

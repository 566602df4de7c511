using SdKit.LoadBalancing;

namespace SdKit.Tests.LoadBalancing;

public sealed class LoadTableTests
{
    [Fact]
    public void Add_AfterSuccessorLinked_MovesItselfToTheSuccessor()
    {
        // The migrator may already have read the slot: a change that finds a successor must carry itself over.
        var first = Link(LoadTable.First(new object()), "a", "b");
        LoadTable.Add(first, 1, 2);
        var second = Link(first, "b", "c");

        LoadTable.Add(first, 1, 3);
        LoadTable.Add(first, 0, 1);
        first.MigrateTo(second);

        Assert.Equal([0, 0], first.Counts);
        Assert.Equal([5, 0], second.Counts);
    }

    [Fact]
    public void Add_SupersededSlot_FollowsThroughSeveralGenerations()
    {
        var first = Link(LoadTable.First(new object()), "a", "b", "c");
        var second = Link(first, "b", "c");
        var third = Link(second, "0", "b", "c");
        LoadTable.Add(first, 1, 5);
        LoadTable.Add(first, 0, 7);

        first.MigrateTo(second);
        second.MigrateTo(third);
        LoadTable.Add(first, 1, -2);
        LoadTable.Add(first, 0, -7);

        Assert.Equal([0, 0, 0], first.Counts);
        Assert.Equal([0, 0], second.Counts);
        Assert.Equal([0, 3, 0], third.Counts);
    }

    [Fact]
    public void MigrateTo_SuccessorAlreadyMigrating_ForwardsTheValue()
    {
        // The second migration overtakes the first: the first's values must still reach the newest table.
        var first = Link(LoadTable.First(new object()), "a", "b");
        var second = Link(first, "a", "b", "c");
        var third = Link(second, "b", "c");
        LoadTable.Add(first, 1, 4);
        LoadTable.Add(second, 2, 1);

        second.MigrateTo(third);
        first.MigrateTo(second);

        Assert.Equal([4, 1], third.Counts);
    }

    [Fact]
    public void TryLink_SecondSuccessor_IsRefused()
    {
        var first = Link(LoadTable.First(new object()), "a");
        var winner = first.Successor(new object(), ["a"]);
        var loser = first.Successor(new object(), ["a"]);

        Assert.True(first.TryLink(winner));
        Assert.False(first.TryLink(loser));
        Assert.Same(winner, first.Next);
        Assert.Equal(first.Generation + 1, winner.Generation);
    }

    private static LoadTable Link(LoadTable previous, params string[] instances)
    {
        var next = previous.Successor(new object(), instances);
        Assert.True(previous.TryLink(next));
        return next;
    }
}

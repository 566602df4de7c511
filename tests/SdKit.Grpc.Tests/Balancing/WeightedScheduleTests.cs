using SdKit.Grpc.Balancing;
using Xunit;

namespace SdKit.Grpc.Tests.Balancing;

public sealed class WeightedScheduleTests
{
    [Fact]
    public void Create_FiveOneOne_IsNginxsSmoothSequence()
        => Assert.Equal([0, 0, 1, 0, 2, 0, 0], WeightedSchedule.Create([5, 1, 1]));

    [Fact]
    public void Create_EqualWeights_IsPlainRoundRobin()
        => Assert.Equal([0, 1, 2], WeightedSchedule.Create([7, 7, 7]));

    [Fact]
    public void Create_CommonFactor_IsDividedOut()
        => Assert.Equal(6, WeightedSchedule.Create([2, 4, 6]).Length);

    [Fact]
    public void Create_HugeWeights_AreScaledDownKeepingEveryInstance()
    {
        var schedule = WeightedSchedule.Create([1_000_000, 1, 3_000_000]);

        Assert.True(schedule.Length <= WeightedSchedule.MaxLength, $"The cycle has {schedule.Length} slots.");
        Assert.Contains(1, schedule);
        var counts = schedule.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts[2] / (double)counts[0], 2.9, 3.1);
    }
}

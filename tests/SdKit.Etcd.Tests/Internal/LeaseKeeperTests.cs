using Grpc.Core;

namespace SdKit.Etcd.Tests.Internal;

public sealed class LeaseKeeperTests
{
    public static TheoryData<Exception> OutageFailures() =>
    [
        new TaskCanceledException("The operation was canceled."),
        new OperationCanceledException(),
        new TimeoutException(),
        new IOException("Connection reset by peer"),
        new HttpRequestException("Connection refused"),
        new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel.")),
        new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")),
        new EtcdException("etcd did not answer lease grant within 1 s.", null, isTransient: true),
    ];

    public static TheoryData<Exception> UnexpectedFailures() =>
    [
        new InvalidOperationException("a bug"),
        new NullReferenceException(),
        new RpcException(new Status(StatusCode.PermissionDenied, "permission denied")),
        new EtcdException("etcd refused the credentials.", null, isTransient: false),
    ];

    [Theory]
    [MemberData(nameof(OutageFailures))]
    public void IsOutageFailure_DeadlineOrCutConnection_IsExpectedDuringAnOutage(Exception failure)
        => Assert.True(LeaseKeeper.IsOutageFailure(failure));

    [Theory]
    [MemberData(nameof(UnexpectedFailures))]
    public void IsOutageFailure_BugOrRefusal_StaysUnexpected(Exception failure)
        => Assert.False(LeaseKeeper.IsOutageFailure(failure));
}

using SdKit.Cli.Backends;
using SdKit.Etcd;
using Xunit;

namespace SdKit.Cli.Tests.Backends;

/// <summary>
/// The --timeout is both the tool's bound on an operation and etcd's request deadline: whichever ends an operation
/// first, the line must read the same. These pin the failure each side produces to that one line.
/// </summary>
public sealed class BackendTests
{
    private const string Endpoint = "http://127.0.0.1:2379";
    private readonly Backend _backend = new(new BackendSettings(BackendKind.Etcd, "/go_servers", TimeSpan.FromSeconds(1)) { EtcdUrls = Endpoint });

    public static TheoryData<Exception> NoAnswer => new()
    {
        // The --timeout ended the wait.
        new OperationCanceledException("etcd list of '/go_servers/' was cancelled."),

        // etcd's own deadline passed first.
        new EtcdException($"etcd at {Endpoint} did not answer list of '/go_servers/' within 1 s.", new TimeoutException("Deadline Exceeded"), isTransient: true),

        // The --timeout stopped a lease grant whose own deadline then passed.
        new OperationCanceledException("Stopped waiting for a lease grant", new EtcdException($"etcd at {Endpoint} did not answer lease grant of 'TTL 10 s' within 1 s.", new TimeoutException("Deadline Exceeded"), isTransient: true)),
    };

    public static TheoryData<Exception> Refused => new()
    {
        // etcd gave up on the refused request by itself.
        Unreachable(),

        // The --timeout ended the retries of the refused request first.
        new OperationCanceledException("etcd lease grant of 'TTL 10 s' was cancelled", Unreachable()),
    };

    [Theory]
    [MemberData(nameof(NoAnswer))]
    public async Task WithTimeoutAsync_EtcdDeadlineOrTheTimeoutFirst_SameNoAnswerLine(Exception failure)
    {
        var error = await Assert.ThrowsAsync<CliException>(() => _backend.WithTimeoutAsync<int>(_ => throw failure, "answer", CancellationToken.None));

        Assert.Equal($"etcd {Endpoint} did not answer within 1s", error.Message);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task WithTimeoutAsync_EtcdRefusedWhicheverEndedFirst_SameRefusalLine(Exception failure)
    {
        var error = await Assert.ThrowsAsync<CliException>(() => _backend.WithTimeoutAsync<int>(_ => throw failure, "answer", CancellationToken.None));

        Assert.Equal($"etcd {Endpoint}: {Unreachable().Message}", error.Message);
    }

    private static EtcdException Unreachable()
        => new($"etcd at {Endpoint} could not be reached for lease grant of 'TTL 10 s': Connection refused", new HttpRequestException("Connection refused"), isTransient: true);
}

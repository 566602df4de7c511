using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client.Balancer;
using SdKit.Grpc.Balancing;
using Xunit;

namespace SdKit.Grpc.Tests.Balancing;

public sealed class OutstandingCallsTests
{
    [Fact]
    public void Complete_CallThatCouldNotConnect_MarksTheSubchannelRefusedAndCountsItDone()
    {
        var calls = new OutstandingCalls();
        calls.Start();
        var refused = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.",
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused))));

        calls.Complete(new CompletionContext { Error = refused });

        Assert.Equal(0, calls.Count);
        Assert.True(calls.Refused);
    }

    [Fact]
    public void Complete_CallThatReachedTheServerAndFailed_DoesNotMarkTheSubchannel()
    {
        var calls = new OutstandingCalls();
        calls.Start();
        calls.Start();

        calls.Complete(new CompletionContext { Error = new RpcException(new Status(StatusCode.Internal, "boom")) });
        calls.Complete(new CompletionContext());

        Assert.Equal(0, calls.Count);
        Assert.False(calls.Refused);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, true)]
    [InlineData(SocketError.ConnectionReset, false)]
    public void IsConnectionFailure_SocketErrors_OnlyThoseBeforeTheCallStarted(SocketError error, bool expected)
        => Assert.Equal(expected, OutstandingCalls.IsConnectionFailure(new IOException("wrapped", new SocketException((int)error))));
}

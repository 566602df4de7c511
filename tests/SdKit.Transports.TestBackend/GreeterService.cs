using Grpc.Core;

namespace SdKit.Transports.TestBackend;

/// <summary>Answers with the backend's own address and counts the calls it served.</summary>
public sealed class GreeterService(BackendIdentity identity) : Greeter.GreeterBase
{
    /// <inheritdoc/>
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context)
    {
        identity.Served();
        return Task.FromResult(new HelloReply { Backend = identity.Url });
    }
}

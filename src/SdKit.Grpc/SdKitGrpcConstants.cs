namespace SdKit.Grpc;

/// <summary>The address scheme of SdKit's resolver.</summary>
public static class SdKitGrpcConstants
{
    /// <summary>The scheme: <c>sdkit:///greeter</c> resolves the service <c>greeter</c>.</summary>
    public const string Scheme = "sdkit";
}

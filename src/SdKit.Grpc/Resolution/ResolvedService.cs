using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Grpc.Resolution;

/// <summary>The instancer a service name resolves to, and the path it watches (named in errors).</summary>
/// <param name="Instancer">The instancer of the service; shared, so the resolver never disposes it.</param>
/// <param name="ServicePath">The registry path watched for the service, or the service name when unknown.</param>
/// <param name="Codec">Decodes the instance strings (the backend's instance format; plain without DI).</param>
internal sealed record ResolvedService(IInstancer Instancer, string ServicePath, IInstanceCodec Codec);

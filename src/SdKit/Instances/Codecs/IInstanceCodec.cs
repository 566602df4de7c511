namespace SdKit.Instances.Codecs;

/// <summary>Turns a registry's instance string into a <see cref="ServiceInstance"/> and back, for one layout.</summary>
/// <remarks>Decoding never throws for bad data: a registry may hold anything, and one bad node must not stop a watch.</remarks>
public interface IInstanceCodec
{
    /// <summary>Decodes one instance string.</summary>
    /// <param name="raw">The node's data or name, or the etcd value.</param>
    /// <returns>The instance, or the reason it does not decode (naming the bad value).</returns>
    InstanceDecodeResult Decode(string raw);

    /// <summary>Encodes an instance the way this layout stores it.</summary>
    /// <param name="instance">The instance.</param>
    /// <returns>The string to register.</returns>
    string Encode(ServiceInstance instance);
}

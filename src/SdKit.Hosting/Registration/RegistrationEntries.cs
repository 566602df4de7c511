using SdKit.Client;
using SdKit.Hosting.Options;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Hosting.Registration;

/// <summary>Makes the service entry of the configured registration: the address encoded in the chosen instance format.</summary>
internal static class RegistrationEntries
{
    private const string Prefix = SdKitOptions.SectionName + ":" + nameof(SdKitOptions.Registration) + ":";

    /// <summary>Returns the entry to register.</summary>
    /// <param name="servicePath">The service path.</param>
    /// <param name="instance">The configured or computed instance string (an address for every format but plain).</param>
    /// <param name="registration">The registration settings (id, metadata, weight, zone, enabled).</param>
    /// <param name="format">The format name (validated).</param>
    /// <param name="time">The clock for Curator's registration time.</param>
    /// <param name="healthy"><see langword="false"/> writes the instance not enabled, whatever <see cref="SdKitRegistrationOptions.Enabled"/> says (health-driven registration's Disable mode).</param>
    /// <param name="id">The id to write when <see cref="SdKitRegistrationOptions.Id"/> is unset (the one an earlier entry was given), or <see langword="null"/> for a new one.</param>
    /// <exception cref="ArgumentException">The instance is not an address, or the format cannot carry a field that is set; the message names the key and value.</exception>
    public static ServiceEntry Create(string servicePath, string instance, SdKitRegistrationOptions registration, string format, TimeProvider time, bool healthy = true, string? id = null)
    {
        format = InstanceFormats.Normalize(format, Prefix + nameof(SdKitRegistrationOptions.Format));
        if (format == InstanceFormats.Plain)
        {
            if (registration.HasTypedFields)
            {
                throw new ArgumentException($"{Prefix}{nameof(SdKitRegistrationOptions.Format)} 'plain' writes the bare instance string, which cannot carry {string.Join(", ", SetFields(registration))}; choose 'sdkit-json' (or 'curator' for metadata and enabled).", nameof(registration));
            }

            return new ServiceEntry(servicePath, instance) { Id = registration.Id };
        }

        ServiceInstance address;
        try
        {
            address = ServiceInstance.FromRaw(instance);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{Prefix}{nameof(SdKitRegistrationOptions.Instance)} '{instance}' is not an address (host:port or a URI), which format '{format}' needs: {ex.Message}", nameof(registration), ex);
        }

        id = registration.Id ?? id ?? Guid.NewGuid().ToString();
        var typed = new ServiceInstance(id, address.Host, address.Port, address.Scheme, registration.Metadata, registration.Weight, registration.Zone, registration.Enabled && healthy);
        var codec = InstanceFormats.CreateCodec(format, servicePath, address.Port, time);
        var encoded = codec.Encode(typed);
        if (codec.Decode(encoded).Instance is not { } back)
        {
            throw new ArgumentException($"{Prefix}{nameof(SdKitRegistrationOptions.Instance)} '{instance}' does not encode in format '{format}'.", nameof(registration));
        }

        var lost = new List<string>();
        if (!back.Metadata.SequenceEqual(typed.Metadata))
        {
            lost.Add(nameof(SdKitRegistrationOptions.Metadata));
        }

        if (back.Weight != typed.Weight)
        {
            lost.Add($"{nameof(SdKitRegistrationOptions.Weight)} {typed.Weight}");
        }

        if (back.Zone != typed.Zone)
        {
            lost.Add($"{nameof(SdKitRegistrationOptions.Zone)} '{typed.Zone}'");
        }

        if (back.Enabled != typed.Enabled)
        {
            lost.Add($"{nameof(SdKitRegistrationOptions.Enabled)} {typed.Enabled}");
        }

        if (lost.Count > 0)
        {
            throw new ArgumentException($"{Prefix}{nameof(SdKitRegistrationOptions.Format)} '{format}' cannot carry {string.Join(", ", lost)}; choose 'sdkit-json' or leave them unset.", nameof(registration));
        }

        return new ServiceEntry(servicePath, encoded) { Id = id };
    }

    private static IEnumerable<string> SetFields(SdKitRegistrationOptions registration)
    {
        if (registration.Metadata.Count > 0)
        {
            yield return nameof(SdKitRegistrationOptions.Metadata);
        }

        if (registration.Weight != 1)
        {
            yield return $"{nameof(SdKitRegistrationOptions.Weight)} {registration.Weight}";
        }

        if (registration.Zone is not null)
        {
            yield return $"{nameof(SdKitRegistrationOptions.Zone)} '{registration.Zone}'";
        }

        if (!registration.Enabled)
        {
            yield return $"{nameof(SdKitRegistrationOptions.Enabled)} false";
        }
    }
}

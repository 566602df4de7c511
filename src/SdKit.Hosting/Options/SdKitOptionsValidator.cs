using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SdKit.Client;
using SdKit.Hosting.Registration;

namespace SdKit.Hosting.Options;

/// <summary>
/// Validates <see cref="SdKitOptions"/> at host start. Every message names the setting by its configuration key
/// (for example <c>SdKit:Registration:Instance</c>) so a bad appsettings entry is found at once.
/// </summary>
internal sealed class SdKitOptionsValidator(
    IEnumerable<RegistrationInstanceSource> instanceSources,
    IEnumerable<BackendInstanceFormat>? backendFormats = null,
    IServiceProvider? services = null) : IValidateOptions<SdKitOptions>
{
    private const string Root = SdKitOptions.SectionName;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SdKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Annotations(options, Root, failures);
        CheckPath(options.ServicesPath, $"{Root}:{nameof(SdKitOptions.ServicesPath)}", failures);

        if (options.RegistrationRetry is { } retry)
        {
            var prefix = $"{Root}:{nameof(SdKitOptions.RegistrationRetry)}";
            Annotations(retry, prefix, failures);
            if (retry.MaxDelay < retry.InitialDelay)
            {
                failures.Add($"{prefix}:{nameof(SdKitRetryOptions.MaxDelay)} ({retry.MaxDelay}) must not be smaller than {prefix}:{nameof(SdKitRetryOptions.InitialDelay)} ({retry.InitialDelay}).");
            }
        }

        if (options.Registration is { } registration)
        {
            var prefix = $"{Root}:{nameof(SdKitOptions.Registration)}";
            Annotations(registration, prefix, failures);
            if (string.IsNullOrEmpty(registration.Instance) && !instanceSources.Any())
            {
                failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Instance)}: The Instance field is required.");
            }

            if (!string.IsNullOrEmpty(registration.Service) && registration.Service.StartsWith('/'))
            {
                CheckPath(registration.Service, $"{prefix}:{nameof(SdKitRegistrationOptions.Service)}", failures);
            }
            else if (registration.Service is { Length: > 0 } service && service.Contains('/', StringComparison.Ordinal))
            {
                failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Service)} '{service}' must be a name without '/' or a full path starting with '/'.");
            }

            if (!string.IsNullOrEmpty(registration.Instance) && PortProblem(registration.Instance) is { } portProblem)
            {
                failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Instance)} '{registration.Instance}' {portProblem}.");
            }

            if (registration.Id is { } id && (id.Length == 0 || id.Contains('/', StringComparison.Ordinal)))
            {
                failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Id)} '{id}' must be non-empty and must not contain '/'.");
            }

            // A backend whose options are invalid names no format; its own validator says why.
            var format = registration.Format ?? (backendFormats?.Any() == true ? BackendFormat() : SdKit.Instances.Codecs.InstanceFormats.Plain);
            CheckTypedFields(registration, format, prefix, failures);
            CheckHealth(registration.Health, format, $"{prefix}:{nameof(SdKitRegistrationOptions.Health)}", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Returns the format the backend named (<c>UseInstanceFormat</c>), or <see langword="null"/> when none did or its options are invalid (their own validator says why).</summary>
    private string? BackendFormat()
    {
        if (services is null || backendFormats?.LastOrDefault() is not { } backend)
        {
            return null;
        }

        try
        {
            return backend.Resolve(services);
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    /// <summary>Checks the format name, the weight, and that the format (given, or the backend's) carries the fields set.</summary>
    private static void CheckTypedFields(SdKitRegistrationOptions registration, string? format, string prefix, List<string> failures)
    {
        if (registration.Weight <= 0)
        {
            failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Weight)} '{registration.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}' must be greater than zero.");
        }

        if (registration.Zone is { } zone && string.IsNullOrWhiteSpace(zone))
        {
            failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Zone)} '{zone}' must not be blank; leave it unset for no zone.");
        }

        if (format is null)
        {
            return;
        }

        if (!SdKit.Instances.Codecs.InstanceFormats.IsKnown(format))
        {
            // Only a format named here can be unknown: a backend's was checked by the backend's own validator.
            failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Format)} '{format}' is not an instance format (known: {string.Join(", ", SdKit.Instances.Codecs.InstanceFormats.Names)}).");
            return;
        }

        // Only a registration that is otherwise valid is tried out, so each problem is reported once.
        if (failures.Count > 0 || string.IsNullOrEmpty(registration.Service) || string.IsNullOrEmpty(registration.Instance))
        {
            return;
        }

        try
        {
            var servicePath = registration.Service.StartsWith('/') ? registration.Service : "/services/" + registration.Service;
            RegistrationEntries.Create(servicePath, registration.Instance, registration, format, TimeProvider.System);
        }
        catch (ArgumentException ex)
        {
            failures.Add(ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>Checks health-driven registration: a positive interval, thresholds of at least 1, a mode the format can carry, and health checks to run.</summary>
    private void CheckHealth(SdKitHealthRegistrationOptions? health, string? format, string prefix, List<string> failures)
    {
        if (health is not { Enabled: true })
        {
            return;
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (health.Interval <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.Interval)} '{health.Interval.ToString("c", invariant)}' must be greater than zero.");
        }

        if (health.FailuresBeforeOut < 1)
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.FailuresBeforeOut)} '{health.FailuresBeforeOut.ToString(invariant)}' must be at least 1.");
        }

        if (health.SuccessesBeforeIn < 1)
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.SuccessesBeforeIn)} '{health.SuccessesBeforeIn.ToString(invariant)}' must be at least 1.");
        }

        if (health.Tag is { } tag && string.IsNullOrWhiteSpace(tag))
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.Tag)} '{tag}' must not be blank; leave it unset to count every check.");
        }

        if (!Enum.IsDefined(health.Mode))
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.Mode)} '{health.Mode}' is not a mode (known: {string.Join(", ", Enum.GetNames<HealthRegistrationMode>())}).");
        }
        else if (health.Mode == HealthRegistrationMode.Disable && format is not null && !SdKitHealthRegistrationOptions.CarriesEnabled(format))
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.Mode)} 'Disable' needs a format with an enabled flag, but the format is '{format}'; set SdKit:Registration:Format to 'sdkit-json' or 'curator', or the mode to 'Deregister' (or 'Auto').");
        }

        if (services is not null && services.GetService(typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService)) is null)
        {
            failures.Add($"{prefix}:{nameof(SdKitHealthRegistrationOptions.Enabled)} 'true' needs the application's health checks: call services.AddHealthChecks() and add the checks that should drive the registration.");
        }
    }

    /// <summary>
    /// Finds a port that can never be dialled in an instance string (<c>host:port</c> or <c>scheme://host:port/...</c>):
    /// empty, not a number, or outside 1-65535. An instance without a port, or one that is not an address at all (the
    /// seed's etcd values are JSON), is left alone.
    /// </summary>
    private static string? PortProblem(string instance)
    {
        var schemeEnd = instance.IndexOf("://", StringComparison.Ordinal);
        var authority = schemeEnd < 0 ? instance : instance[(schemeEnd + 3)..];
        var pathStart = authority.IndexOfAny(['/', '?', '#']);
        if (pathStart >= 0)
        {
            authority = authority[..pathStart];
        }

        var hostEnd = authority.StartsWith('[') ? authority.IndexOf(']', StringComparison.Ordinal) : -1;
        var colon = authority.IndexOf(':', Math.Max(hostEnd, 0));
        if (colon < 0 || (hostEnd < 0 && authority.IndexOf(':', colon + 1) >= 0))
        {
            return null; // No port, or a bare IPv6 address.
        }

        var host = authority[..colon];
        if (hostEnd < 0 && (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            return null; // Not an address (a JSON value, a name with a colon): the instance string is the app's own.
        }

        var port = authority[(colon + 1)..];
        return int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? null
            : $"has the port '{port}', which is not a number from 1 to 65535";
    }

    private static void Annotations(object instance, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            var members = string.Join(", ", result.MemberNames.Select(member => $"{prefix}:{member}"));
            failures.Add($"{members}: {result.ErrorMessage}");
        }
    }

    private static void CheckPath(string? path, string key, List<string> failures)
    {
        if (string.IsNullOrEmpty(path))
        {
            return; // [Required] reports it.
        }

        if (!path.StartsWith('/'))
        {
            failures.Add($"{key} '{path}' must start with '/'.");
            return;
        }

        try
        {
            ServicePaths.Validate(path);
        }
        catch (ArgumentException ex)
        {
            failures.Add($"{key}: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}

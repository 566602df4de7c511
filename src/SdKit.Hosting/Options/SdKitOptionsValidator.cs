using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SdKit.Client;
using SdKit.Hosting.Registration;

namespace SdKit.Hosting.Options;

/// <summary>
/// Validates <see cref="SdKitOptions"/> at host start. Every message names the setting by its configuration key
/// (for example <c>SdKit:Registration:Instance</c>) so a bad appsettings entry is found at once.
/// </summary>
internal sealed class SdKitOptionsValidator(IEnumerable<RegistrationInstanceSource> instanceSources) : IValidateOptions<SdKitOptions>
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

            if (registration.Id is { } id && (id.Length == 0 || id.Contains('/', StringComparison.Ordinal)))
            {
                failures.Add($"{prefix}:{nameof(SdKitRegistrationOptions.Id)} '{id}' must be non-empty and must not contain '/'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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

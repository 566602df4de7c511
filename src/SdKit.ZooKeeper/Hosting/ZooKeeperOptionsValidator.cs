using Microsoft.Extensions.Options;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.ZooKeeper.Hosting;

/// <summary>
/// Fails the host's start on ZooKeeper settings that can never work (an empty or malformed connect string, a bad
/// session timeout), naming the setting and its value, instead of a background connect loop retrying them forever.
/// </summary>
internal sealed class ZooKeeperOptionsValidator : IValidateOptions<ZooKeeperDiscoveryOptions>
{
    /// <summary>The configuration key the connect string is read from.</summary>
    public const string ConnectStringKey = ZooKeeperConfiguration.SectionName + ":" + nameof(ZooKeeperClientOptions.ConnectString);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ZooKeeperDiscoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            options.Connection.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            var message = ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            return ValidateOptionsResult.Fail(ex.ParamName == "connectString"
                ? $"{ConnectStringKey} '{options.Connection.ConnectString}': {message}"
                : $"{ZooKeeperConfiguration.SectionName}:{ex.ParamName}: {message}");
        }
    }
}

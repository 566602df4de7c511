using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SdKit.Configuration;
using SdKit.Instances.Codecs;
using SdKit.ZooKeeper.Discovery;
using static SdKit.Configuration.StrictSectionReader<SdKit.ZooKeeper.Discovery.ZooKeeperDiscoveryOptions>;

namespace SdKit.ZooKeeper.Hosting;

/// <summary>
/// Reads the section <c>SdKit:ZooKeeper</c> onto <see cref="ZooKeeperDiscoveryOptions"/>: the session settings
/// (connect string, timeouts, frame sizes, read-only, reconnect after expiry), the discovery settings (layout, instance
/// format, watch mode, attempts, read batch size), digest credentials and the ACLs and data of created nodes. Every key is known by
/// name: a misspelt key or a value that does not convert fails the host's start, naming the key and its value, so a
/// setting is never silently ignored.
/// </summary>
internal static class ZooKeeperConfiguration
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "SdKit:ZooKeeper";

    private static readonly StrictSectionReader<ZooKeeperDiscoveryOptions> Reader = new("a ZooKeeper", new Dictionary<string, Action<IConfigurationSection, ZooKeeperDiscoveryOptions, List<string>>>
        {
            [nameof(ZooKeeperClientOptions.ConnectString)] = (s, o, _) => o.Connection.ConnectString = s.Value ?? string.Empty,
            [nameof(ZooKeeperClientOptions.SessionTimeout)] = (s, o, p) => Read<TimeSpan>(s, p, v => o.Connection.SessionTimeout = v),
            [nameof(ZooKeeperClientOptions.ConnectTimeout)] = (s, o, p) => Read<TimeSpan>(s, p, v => o.Connection.ConnectTimeout = v),
            [nameof(ZooKeeperClientOptions.MaxFrameSize)] = (s, o, p) => Read<int>(s, p, v => o.Connection.MaxFrameSize = v),
            [nameof(ZooKeeperClientOptions.MaxRequestSize)] = (s, o, p) => Read<int>(s, p, v => o.Connection.MaxRequestSize = v),
            [nameof(ZooKeeperClientOptions.CanBeReadOnly)] = (s, o, p) => Read<bool>(s, p, v => o.Connection.CanBeReadOnly = v),
            [nameof(ZooKeeperClientOptions.ReconnectAfterExpiry)] = (s, o, p) => Read<bool>(s, p, v => o.Connection.ReconnectAfterExpiry = v),
            [nameof(ZooKeeperDiscoveryOptions.Layout)] = (s, o, p) => ReadEnum<ZooKeeperNodeLayout>(s, p, v => o.Layout = v),
            [nameof(ZooKeeperDiscoveryOptions.InstanceFormat)] = (s, o, p) => ReadInstanceFormat(s, p, v => o.InstanceFormat = v),
            [nameof(ZooKeeperDiscoveryOptions.WatchMode)] = (s, o, p) => ReadEnum<ZooKeeperWatchMode>(s, p, v => o.WatchMode = v),
            [nameof(ZooKeeperDiscoveryOptions.Attempts)] = (s, o, p) => Read<int>(s, p, v => o.Attempts = v),
            [nameof(ZooKeeperDiscoveryOptions.ReadBatchSize)] = (s, o, p) => Read<int>(s, p, v => o.ReadBatchSize = v),
            [nameof(ZooKeeperDiscoveryOptions.NodeAcl)] = (s, o, p) => ReadAcl(s, p, v => o.NodeAcl = v),
            [nameof(ZooKeeperDiscoveryOptions.ParentAcl)] = (s, o, p) => ReadAcl(s, p, v => o.ParentAcl = v),
            [nameof(ZooKeeperDiscoveryOptions.ParentData)] = ReadParentData,
            ["Digest"] = ReadDigest,
        });

    private static readonly HashSet<string> DigestKeys = new(["User", "Password", "OwnNodes"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">A key is unknown or a value does not convert; the message names every one.</exception>
    public static void Apply(IConfigurationSection section, ZooKeeperDiscoveryOptions options)
    {
        Reader.Apply(section, options);

        // Curator's own layout goes with Curator's format unless the section says otherwise.
        if (options.InstanceFormat == InstanceFormats.Curator && section[nameof(ZooKeeperDiscoveryOptions.Layout)] is null)
        {
            options.Layout = ZooKeeperNodeLayout.Curator;
        }
    }

    private static void ReadAcl(IConfigurationSection section, List<string> problems, Action<IReadOnlyList<ZooKeeperAcl>> set)
    {
        var acl = new List<ZooKeeperAcl>();
        foreach (var entry in section.GetChildren())
        {
            var scheme = entry[nameof(ZooKeeperAcl.Scheme)];
            var id = entry[nameof(ZooKeeperAcl.Id)];
            var permissions = entry[nameof(ZooKeeperAcl.Permissions)];
            if (string.IsNullOrEmpty(scheme) || id is null)
            {
                problems.Add($"{entry.Path} needs {nameof(ZooKeeperAcl.Scheme)} and {nameof(ZooKeeperAcl.Id)} (for example world / anyone).");
                continue;
            }

            if (!Enum.TryParse<ZooKeeperPermissions>(permissions, ignoreCase: true, out var granted) || IsNumber(permissions)
                || (granted & ~ZooKeeperPermissions.All) != 0)
            {
                problems.Add($"{entry.Path}:{nameof(ZooKeeperAcl.Permissions)} '{permissions}' is not a list of {string.Join(", ", Enum.GetNames<ZooKeeperPermissions>())} (for example 'Read, Write').");
                continue;
            }

            acl.Add(new ZooKeeperAcl(granted, scheme, id));
        }

        set(acl);
    }

    private static void ReadParentData(IConfigurationSection section, ZooKeeperDiscoveryOptions options, List<string> problems)
    {
        options.ParentData.Clear();
        foreach (var level in section.GetChildren().OrderBy(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue))
        {
            if (!int.TryParse(level.Key, CultureInfo.InvariantCulture, out var index) || index != options.ParentData.Count)
            {
                problems.Add($"{level.Path}: ParentData is a list by depth (:0, :1, ...) without gaps.");
                return;
            }

            options.ParentData.Add(Encoding.UTF8.GetBytes(level.Value ?? string.Empty));
        }
    }

    private static void ReadDigest(IConfigurationSection section, ZooKeeperDiscoveryOptions options, List<string> problems)
    {
        var user = section["User"];
        var password = section["Password"];
        var ownNodes = false;
        if (section.GetSection("OwnNodes") is { Value: not null } own && !bool.TryParse(own.Value, out ownNodes))
        {
            problems.Add($"{own.Path} '{own.Value}' is not true or false.");
            return;
        }

        foreach (var child in section.GetChildren().Where(c => !DigestKeys.Contains(c.Key)))
        {
            problems.Add($"{child.Path} is not a digest setting (known: User, Password, OwnNodes).");
        }

        if (string.IsNullOrEmpty(user) || password is null || user.Contains(':', StringComparison.Ordinal))
        {
            problems.Add($"{section.Path} needs User (without ':') and Password, not User '{user}'.");
            return;
        }

        if (ownNodes)
        {
            options.UseDigestOwner(user, password);
        }
        else
        {
            options.Connection.Authentication.Add(ZooKeeperAuthInfo.Digest(user, password));
        }
    }
}

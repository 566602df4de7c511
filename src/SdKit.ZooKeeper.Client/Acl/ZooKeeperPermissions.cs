namespace SdKit.ZooKeeper.Client;

/// <summary>The permission bits of an ACL entry (ZooDefs.Perms), with their wire values.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "ZooKeeper calls these permissions.")]
public enum ZooKeeperPermissions
{
    /// <summary>No permission.</summary>
    None = 0,

    /// <summary>Read the data and list the children.</summary>
    Read = 1,

    /// <summary>Set the data.</summary>
    Write = 2,

    /// <summary>Create children.</summary>
    Create = 4,

    /// <summary>Delete children.</summary>
    Delete = 8,

    /// <summary>Set the ACL.</summary>
    Admin = 16,

    /// <summary>Every permission.</summary>
    All = Read | Write | Create | Delete | Admin,
}

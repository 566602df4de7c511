namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>Maps client paths to server paths under a chroot and back (the server knows nothing of chroots).</summary>
internal static class Chroot
{
    public static string Prepend(string? chroot, string clientPath)
        => chroot is null ? clientPath : clientPath == "/" ? chroot : chroot + clientPath;

    public static string Strip(string? chroot, string serverPath)
    {
        if (chroot is null || !serverPath.StartsWith(chroot, StringComparison.Ordinal))
        {
            return serverPath;
        }

        if (serverPath.Length == chroot.Length)
        {
            return "/";
        }

        return serverPath[chroot.Length] == '/' ? serverPath[chroot.Length..] : serverPath;
    }
}

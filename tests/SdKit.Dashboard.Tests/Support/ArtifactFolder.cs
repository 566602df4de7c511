using SdKit.Testing;

namespace SdKit.Dashboard.Tests.Support;

/// <summary>Where the browser tests leave their screenshots: artifacts/dashboard/ in the repository.</summary>
internal static class ArtifactFolder
{
    public static string Path
    {
        get
        {
            var folder = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts", "dashboard");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }
}

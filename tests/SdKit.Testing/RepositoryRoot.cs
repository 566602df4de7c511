using System.Runtime.CompilerServices;

namespace SdKit.Testing;

/// <summary>Finds the repository (the folder holding SdKit.sln) for tests that read docs or scripts.</summary>
public static class RepositoryRoot
{
    /// <summary>
    /// Gets the repository folder: above the test binaries when they are built in the tree, else above this source
    /// file (builds with SDKIT_ARTIFACTS put the binaries elsewhere).
    /// </summary>
    public static string Path => Find(AppContext.BaseDirectory) ?? Find(SourceFolder()) ??
        throw new InvalidOperationException($"SdKit.sln not found above {AppContext.BaseDirectory} or {SourceFolder()}.");

    private static string? Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "SdKit.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    private static string SourceFolder([CallerFilePath] string file = "") => System.IO.Path.GetDirectoryName(file) ?? ".";
}

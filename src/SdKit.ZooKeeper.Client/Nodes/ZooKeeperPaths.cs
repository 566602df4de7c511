namespace SdKit.ZooKeeper.Client;

/// <summary>ZooKeeper's rules for node paths (PathUtils), checked on the client so bad input fails early and names itself.</summary>
public static class ZooKeeperPaths
{
    /// <summary>Throws when <paramref name="path"/> is not a valid ZooKeeper path.</summary>
    /// <param name="path">The path to check.</param>
    /// <param name="sequential">
    /// <see langword="true"/> for a sequential create, whose last segment may be empty (<c>/queue/</c> becomes
    /// <c>/queue/0000000003</c>).
    /// </param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentException">The path is invalid; the message names the path and the rule.</exception>
    public static void Validate(string path, bool sequential = false, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(path))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(path, paramName);
        var problem = FindProblem(path, sequential);
        if (problem is not null)
        {
            throw new ArgumentException($"Invalid ZooKeeper path '{Printable(path)}': {problem}.", paramName);
        }
    }

    /// <summary>Returns whether <paramref name="path"/> is a valid ZooKeeper path.</summary>
    /// <param name="path">The path to check.</param>
    /// <param name="sequential"><see langword="true"/> for a sequential create (an empty last segment is allowed).</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid(string? path, bool sequential = false) => path is not null && FindProblem(path, sequential) is null;

    /// <summary>Joins a parent path and a child name: <c>/a</c> + <c>b</c> is <c>/a/b</c>, <c>/</c> + <c>b</c> is <c>/b</c>.</summary>
    /// <param name="parent">The parent path.</param>
    /// <param name="child">The child's name.</param>
    /// <returns>The child's path.</returns>
    public static string Combine(string parent, string child)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(child);
        return parent.EndsWith('/') ? parent + child : parent + "/" + child;
    }

    private static string? FindProblem(string path, bool sequential)
    {
        if (path.Length == 0)
        {
            return "it is empty";
        }

        if (path[0] != '/')
        {
            return "it must start with '/'";
        }

        if (path.Length == 1)
        {
            return null;
        }

        if (path[^1] == '/' && !sequential)
        {
            return "it must not end with '/'";
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                var problem = CharacterProblem(path[i], i);
                if (problem is not null)
                {
                    return problem;
                }

                continue;
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            if (segment.Length == 0 && i < path.Length)
            {
                return $"empty segment at index {i}";
            }

            if (segment is "." or "..")
            {
                return $"relative segment '{segment}' at index {segmentStart}";
            }

            segmentStart = i + 1;
        }

        return null;
    }

    private static string? CharacterProblem(char c, int index)
    {
        var invalid = c == '\0'
            || (c > '\u0000' && c <= '\u001f')
            || (c >= '\u007f' && c <= '\u009f')
            || (c >= '\ud800' && c <= '\uf8ff')
            || (c >= '\ufff0' && c <= '\uffff');
        return invalid ? $"invalid character U+{(int)c:X4} at index {index}" : null;
    }

    private static string Printable(string path)
    {
        var chars = path.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray();
        return new string(chars);
    }
}

using System.Text.RegularExpressions;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>
/// The docs' code samples: regions between <c>// begin-snippet: name</c> and <c>// end-snippet</c> in this folder's
/// compiled .cs files, and the blocks between <c>&lt;!-- snippet: name --&gt;</c> and <c>&lt;!-- endsnippet --&gt;</c> in
/// docs/*.md that must show them verbatim (dedented). <c>SDKIT_UPDATE_SNIPPETS=1</c> rewrites the markdown.
/// </summary>
internal static partial class SnippetSource
{
    public static string RepositoryRoot => SdKit.Testing.RepositoryRoot.Path;

    /// <summary>Reads every snippet of the compiled snippet files, by name.</summary>
    public static Dictionary<string, string> ReadSnippets()
    {
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        var folder = Path.Combine(RepositoryRoot, "tests", "SdKit.Hosting.Tests", "Snippets");
        foreach (var file in Directory.GetFiles(folder, "*.cs"))
        {
            foreach (Match match in SourceSnippet().Matches(File.ReadAllText(file).ReplaceLineEndings("\n")))
            {
                snippets.Add(match.Groups["name"].Value, Dedent(match.Groups["body"].Value));
            }
        }

        return snippets;
    }

    /// <summary>Returns the markdown with every snippet block replaced by the compiled source.</summary>
    public static string Render(string markdown, IReadOnlyDictionary<string, string> snippets, List<string> unknown)
        => MarkdownSnippet().Replace(markdown.ReplaceLineEndings("\n"), match =>
        {
            var name = match.Groups["name"].Value;
            if (!snippets.TryGetValue(name, out var code))
            {
                unknown.Add(name);
                return match.Value;
            }

            return $"<!-- snippet: {name} -->\n```csharp\n{code}```\n<!-- endsnippet -->";
        });

    private static string Dedent(string body)
    {
        var lines = body.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Concat(lines.Where((_, i) => i < lines.Length - 1 || lines[i].Trim().Length > 0).Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
    }

    [GeneratedRegex(@"^[ \t]*// begin-snippet: (?<name>[\w-]+)\n(?<body>.*?)^[ \t]*// end-snippet", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SourceSnippet();

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+) -->\n.*?<!-- endsnippet -->", RegexOptions.Singleline)]
    private static partial Regex MarkdownSnippet();
}

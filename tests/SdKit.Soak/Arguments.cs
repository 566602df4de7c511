namespace SdKit.Soak;

/// <summary>Reads <c>--name value</c> pairs; every option takes a value.</summary>
internal static class Arguments
{
    public static Dictionary<string, string> ToDictionary(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}': options are '--name value' pairs.\n" + SoakOptions.Usage);
            }

            values[args[i][2..]] = args[++i];
        }

        return values;
    }
}

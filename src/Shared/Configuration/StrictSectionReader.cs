using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SdKit.Instances.Codecs;

namespace SdKit.Configuration;

/// <summary>
/// Reads one configuration section onto an options object where every key is known by name: a misspelt key or a value
/// that does not convert is collected as a problem naming the key and its value, and all of them fail the host's start
/// together, so a setting is never silently ignored (the binder's <c>ErrorOnUnknownConfiguration</c> names neither
/// the value nor the keys that would have been accepted).
/// </summary>
/// <remarks>Compiled into each backend package by link: it is a shared piece of their configuration, not public API.</remarks>
/// <typeparam name="TOptions">The options type the section is read onto.</typeparam>
/// <param name="settingKind">How the unknown-key message names a setting, for example "an etcd".</param>
/// <param name="keys">What each known key does; matched ignoring case.</param>
internal sealed class StrictSectionReader<TOptions>(string settingKind, IEnumerable<KeyValuePair<string, Action<IConfigurationSection, TOptions, List<string>>>> keys)
{
    private readonly Dictionary<string, Action<IConfigurationSection, TOptions, List<string>>> _keys = new(keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">A key is unknown or a value does not convert; the message names every one.</exception>
    public void Apply(IConfigurationSection section, TOptions options)
    {
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (_keys.TryGetValue(child.Key, out var apply))
            {
                apply(child, options, problems);
            }
            else
            {
                problems.Add($"{child.Path} is not {settingKind} setting (known: {string.Join(", ", _keys.Keys)}).");
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(TOptions), problems);
        }
    }

    /// <summary>Reads a time span (<c>00:00:10</c>), a whole number or true/false, or records why the value is none.</summary>
    public static void Read<T>(IConfigurationSection section, List<string> problems, Action<T> set)
        where T : struct
    {
        var text = section.Value;
        object? value = null;
        if (typeof(T) == typeof(TimeSpan) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var time))
        {
            value = time;
        }
        else if (typeof(T) == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
        }
        else if (typeof(T) == typeof(bool) && bool.TryParse(text, out var flag))
        {
            value = flag;
        }

        if (value is T read)
        {
            set(read);
            return;
        }

        problems.Add($"{section.Path} '{text}' is not {Describe(typeof(T))}.");
    }

    /// <summary>Reads an enum value by name (a number is refused: it would hide what the setting means).</summary>
    public static void ReadEnum<T>(IConfigurationSection section, List<string> problems, Action<T> set)
        where T : struct, Enum
    {
        if (Enum.TryParse<T>(section.Value, ignoreCase: true, out var value) && Enum.IsDefined(value) && !IsNumber(section.Value))
        {
            set(value);
            return;
        }

        problems.Add($"{section.Path} '{section.Value}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    /// <summary>Reads an instance format by name (<see cref="InstanceFormats.Names"/>), lower-cased.</summary>
    public static void ReadInstanceFormat(IConfigurationSection section, List<string> problems, Action<string> set)
    {
        if (InstanceFormats.IsKnown(section.Value))
        {
            set(section.Value!.ToLowerInvariant());
            return;
        }

        problems.Add($"{section.Path} '{section.Value}' is not an instance format (known: {string.Join(", ", InstanceFormats.Names)}).");
    }

    /// <summary>An empty value is no value: an environment variable set to nothing turns a setting off.</summary>
    public static string? Text(IConfigurationSection section) => string.IsNullOrEmpty(section.Value) ? null : section.Value;

    /// <summary>Whether <paramref name="value"/> is written as a number.</summary>
    public static bool IsNumber(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    private static string Describe(Type type)
        => type == typeof(TimeSpan) ? "a time span such as 00:00:10"
            : type == typeof(bool) ? "true or false"
            : "a whole number";
}

using System.Reflection;
using NetArchTest.Rules;
using SdKit.Instances;
using SdKit.Registration;

namespace SdKit.Architecture.Tests;

/// <summary>
/// The rules, as functions that return what breaks them (empty when kept), so a test can assert both that the
/// libraries keep a rule and that the rule reports a deliberately wrong input.
/// </summary>
internal static class PackageRules
{
    /// <summary>The assemblies <paramref name="assembly"/> references whose name is, or starts with, one of <paramref name="forbidden"/> (then a dot).</summary>
    public static IReadOnlyList<string> ForbiddenReferences(Assembly assembly, IEnumerable<string> forbidden)
        => [.. assembly.GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)];

    /// <summary>The SdKit assemblies <paramref name="assembly"/> references beyond <paramref name="allowed"/>.</summary>
    public static IReadOnlyList<string> SdKitReferencesBeyond(Assembly assembly, params string[] allowed)
        => [.. ForbiddenReferences(assembly, ["SdKit"]).Where(name => !allowed.Contains(name, StringComparer.Ordinal))];

    /// <summary>The types of <paramref name="assembly"/> that use a type of any of <paramref name="namespaces"/> (NetArchTest reads the IL).</summary>
    public static IReadOnlyList<string> TypesDependingOn(Assembly assembly, IEnumerable<string> namespaces)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny([.. namespaces]).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypes.Select(type => type.FullName)];
    }

    /// <summary>The types of <paramref name="assembly"/> that are an instancer or a registrar of their own (by contract or by name).</summary>
    public static IReadOnlyList<string> OwnInstancersOrRegistrars(Assembly assembly)
    {
        var failing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var contract in new[] { typeof(IInstancer), typeof(IRegistrar) })
        {
            var result = Types.InAssembly(assembly).ShouldNot().ImplementInterface(contract).GetResult();
            if (!result.IsSuccessful)
            {
                failing.UnionWith(result.FailingTypes.Select(type => type.FullName));
            }
        }

        foreach (var suffix in new[] { "Instancer", "Registrar" })
        {
            var named = Types.InAssembly(assembly).That().AreClasses().ShouldNot().HaveNameEndingWith(suffix).GetResult();
            if (!named.IsSuccessful)
            {
                failing.UnionWith(named.FailingTypes.Select(type => type.FullName));
            }
        }

        return [.. failing];
    }

    /// <summary>The assemblies owned by other backends that <paramref name="backend"/> references.</summary>
    public static IReadOnlyList<string> OtherBackendReferences(Assembly backend, IEnumerable<(Assembly Backend, string[] Owns)> backends)
        => ForbiddenReferences(backend, backends.Where(other => other.Backend != backend).SelectMany(other => other.Owns));
}

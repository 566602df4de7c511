using System.Reflection;

namespace SdKit.Architecture.Tests;

/// <summary>
/// Every library tracks its public surface (docs/architecture.md): PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt
/// beside its project, tracking nullability, and listing every exported type. The analyzer checks members at build
/// time; this catches a library whose lists were never added (then the analyzer has nothing to compare against).
/// </summary>
public sealed class PublicApiListTests
{
    public static TheoryData<string> Libraries => new() { "SdKit", "SdKit.ZooKeeper.Client", "SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Hosting" };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Library_ListsEveryExportedType(string library)
    {
        var folder = Path.Combine(RepositoryRoot(), "src", library);
        var shipped = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Shipped.txt"));
        var unshipped = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Unshipped.txt"));
        var listed = shipped.Concat(unshipped).ToHashSet(StringComparer.Ordinal);

        var missing = Assembly.Load(library).GetExportedTypes().Select(ListName).Where(name => !listed.Contains(name)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal("#nullable enable", shipped.FirstOrDefault());
        Assert.Equal("#nullable enable", unshipped.FirstOrDefault());
        Assert.Empty(missing);
    }

    [Fact]
    public void ListName_GenericAndPlainTypes_AreWrittenAsTheAnalyzerWritesThem()
    {
        Assert.Equal("SdKit.Endpoints.Endpointer<T>", ListName(typeof(SdKit.Endpoints.Endpointer<>)));
        Assert.Equal("SdKit.LoadBalancing.Endpoint<TRequest, TResponse>", ListName(typeof(SdKit.LoadBalancing.Endpoint<,>)));
        Assert.Equal("SdKit.Client.ServiceEntry", ListName(typeof(SdKit.Client.ServiceEntry)));
    }

    /// <summary>A type as the PublicAPI files name it: <c>Namespace.Name&lt;T1, T2&gt;</c>, nested types after a dot.</summary>
    private static string ListName(Type type)
    {
        var name = type.Name.Split('`')[0];
        var outer = type.DeclaringType is { } declaring ? ListName(declaring) + "." : type.Namespace + ".";
        var own = type.GetGenericArguments().Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0).Select(t => t.Name).ToList();
        return outer + name + (own.Count > 0 ? "<" + string.Join(", ", own) + ">" : string.Empty);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SdKit.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"SdKit.sln not found above {AppContext.BaseDirectory} (build inside the repository).");
    }
}

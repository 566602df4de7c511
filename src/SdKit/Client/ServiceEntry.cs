namespace SdKit.Client;

/// <summary>
/// One instance of a service, as a registrar writes it: the service path it lives under and the instance string
/// that watchers of that path will see.
/// </summary>
/// <remarks>
/// The ZooKeeper backend stores <see cref="Instance"/> as the data of a node below <see cref="ServicePath"/>
/// (go-kit's <c>Path</c> + <c>Name</c>); the etcd backend stores it as the value of the key
/// <c>ServicePath/Id</c>. Each backend validates the path against its own rules.
/// </remarks>
public sealed record ServiceEntry
{
    /// <summary>Initializes a new entry.</summary>
    /// <param name="servicePath">The service path, for example <c>/services/hello</c>.</param>
    /// <param name="instance">The instance string, for example <c>127.0.0.1:8080</c> or <c>http://127.0.0.1:8080</c>.</param>
    /// <exception cref="ArgumentException">A value is empty, or the path is the root or holds an empty segment.</exception>
    public ServiceEntry(string servicePath, string instance)
    {
        var normalized = ServicePaths.Normalize(servicePath);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ServicePath = normalized;
        Instance = instance;
    }

    /// <summary>Gets the service path the entry is registered under (without a trailing <c>/</c>): what an instancer watches.</summary>
    public string ServicePath { get; }

    /// <summary>Gets the instance string that watchers see.</summary>
    public string Instance { get; }

    /// <summary>Returns this entry with another instance string (same service path and id), as an update in place writes it.</summary>
    /// <param name="instance">The new instance string.</param>
    /// <returns>The new entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="instance"/> is empty.</exception>
    public ServiceEntry WithInstance(string instance) => new(ServicePath, instance) { Id = Id };

    /// <summary>
    /// Gets an optional identifier of the instance within its service. The etcd backend uses it as the last
    /// segment of the key (the default is generated); the ZooKeeper named layout uses the instance string and
    /// ignores it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the backend chooses.</value>
    public string? Id
    {
        get;
        init
        {
            if (value is not null)
            {
                ArgumentException.ThrowIfNullOrEmpty(value, nameof(Id));
                if (value.Contains('/', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The instance id '{value}' must not contain '/'.", nameof(Id));
                }
            }

            field = value;
        }
    }
}

using SdKit.ZooKeeper.Client;

namespace SdKit.Benchmarks.Scenarios.ZooKeeper;

/// <summary>One operation of a <c>zk-throughput</c> mode, over the nodes it prepared under its root.</summary>
internal sealed class ThroughputWorkload
{
    private readonly ZooKeeperClient _client;
    private readonly string _root;
    private readonly string _mode;
    private readonly string[] _children;

    private ThroughputWorkload(ZooKeeperClient client, string root, string mode, string[] children)
    {
        _client = client;
        _root = root;
        _mode = mode;
        _children = children;
    }

    /// <summary>Creates the nodes the mode reads: one 100-byte node, or K children of 30 bytes each.</summary>
    public static async Task<ThroughputWorkload> PrepareAsync(ZooKeeperClient client, string root, ThroughputSettings settings, CancellationToken cancellationToken)
    {
        await client.CreateAsync(root + "/data", new byte[100], cancellationToken: cancellationToken).ConfigureAwait(false);
        await client.CreateAsync(root + "/members", default, cancellationToken: cancellationToken).ConfigureAwait(false);
        var children = Array.Empty<string>();
        if (settings.Mode == "children")
        {
            var creates = Enumerable.Range(0, settings.Children)
                .Select(i => client.CreateAsync($"{root}/members/child-{i:D6}", new byte[30], cancellationToken: cancellationToken));
            await Task.WhenAll(creates).ConfigureAwait(false);
            children = (await client.GetChildrenAsync(root + "/members", cancellationToken).ConfigureAwait(false)).Children
                .Select(c => $"{root}/members/{c}").ToArray();
        }

        return new ThroughputWorkload(client, root, settings.Mode, children);
    }

    /// <summary>Runs operation number <paramref name="index"/> of the mode.</summary>
    public Task RunOneAsync(int index, CancellationToken cancellationToken) => _mode switch
    {
        "create" => _client.CreateAsync(_root + "/members/m-", new byte[30], CreateMode.EphemeralSequential, cancellationToken: cancellationToken),
        "children" => index % (_children.Length + 1) == 0
            ? _client.GetChildrenAsync(_root + "/members", cancellationToken)
            : _client.GetDataAsync(_children[(index % (_children.Length + 1)) - 1], cancellationToken),
        _ => _client.GetDataAsync(_root + "/data", cancellationToken),
    };

    /// <summary>Deletes <paramref name="root"/> and everything below it, pipelining the deletes.</summary>
    public static async Task DeleteTreeAsync(ZooKeeperClient client, string root)
    {
        var children = await client.GetChildrenAsync(root).ConfigureAwait(false);
        await Task.WhenAll(children.Children.Select(c => DeleteTreeAsync(client, ZooKeeperPaths.Combine(root, c)))).ConfigureAwait(false);
        await client.DeleteAsync(root).ConfigureAwait(false);
    }
}

using System.Text;
using Microsoft.Extensions.Logging;

namespace SdKit.ZooKeeper.Client.Tests;

/// <summary>Helpers shared by the real-server tests.</summary>
internal static class TestClients
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly Lazy<Microsoft.Extensions.Logging.ILoggerFactory> s_console = new(() => Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace)));

    public static Task<ZooKeeperClient> ConnectAsync(string connectString, Action<ZooKeeperClientOptions>? configure = null)
    {
        var options = new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = TimeSpan.FromSeconds(4), ConnectTimeout = TimeSpan.FromSeconds(20) };
        configure?.Invoke(options);
        return ZooKeeperClient.ConnectAsync(options, Environment.GetEnvironmentVariable("SDKIT_TEST_LOG") is null ? null : s_console.Value);
    }

    /// <summary>A fresh persistent path for one test, so tests sharing a server never collide.</summary>
    public static async Task<string> CreateTestRootAsync(ZooKeeperClient client, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var path = $"/t-{Guid.NewGuid():N}";
        await client.CreateAsync(path, Encoding.UTF8.GetBytes(name));
        return path;
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);
}

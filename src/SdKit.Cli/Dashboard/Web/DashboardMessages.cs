using System.Text.Json.Serialization;
using SdKit.Cli.Dashboard.Live;

namespace SdKit.Cli.Dashboard.Web;

/// <summary>The first message on the event stream, and the answer of <c>GET /api/state</c>: everything at once.</summary>
/// <param name="Connection">The dashboard's own connection.</param>
/// <param name="Services">Every service, sorted by path.</param>
/// <param name="ServerMs">The server's clock, in Unix milliseconds, so the page can correct ages for clock skew.</param>
internal sealed record DashboardSnapshot(ConnectionStatus Connection, IReadOnlyList<ServiceState> Services, long ServerMs);

/// <summary>The page's wire format: camelCase JSON, generated at build time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DashboardSnapshot))]
[JsonSerializable(typeof(ServiceState))]
[JsonSerializable(typeof(ConnectionStatus))]
internal sealed partial class DashboardJson : JsonSerializerContext;

namespace SdKit.Hosting.Health;

/// <summary>The name SdKit's own health check was added under (<c>AddHealthChecks().AddSdKit(name)</c>), so health-driven registration leaves it out.</summary>
internal sealed record SdKitHealthCheckName(string Name);

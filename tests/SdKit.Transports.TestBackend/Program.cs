using SdKit.Transports.TestBackend;
using Microsoft.Extensions.Hosting;

// Run as a process by the tests (so SIGKILL ends it for real: no deregistration, only the registry's expiry) and by the
// benchmarks. Prints "serving" once started, which the tests await.
var app = TransportBackend.Build(args);
await app.StartAsync().ConfigureAwait(false);
Console.WriteLine("serving");
await app.WaitForShutdownAsync().ConfigureAwait(false);

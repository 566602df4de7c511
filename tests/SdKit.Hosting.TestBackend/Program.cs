using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A backend as a user builds one from the packages: Kestrel on --urls (a loopback URL), registered under --Service by
// SdKit's hosted registrar on the ZooKeeper named by --SdKit:ZooKeeper:ConnectString, with a session of
// --SessionTimeoutSeconds. It answers every request with the address it was called on. Tests run it as a process so
// that SIGKILL ends it for real: no deregistration, no closed session, only the registry's expiry.
var builder = WebApplication.CreateSlimBuilder(args);
var url = builder.Configuration["urls"] ?? throw new InvalidOperationException("--urls http://127.0.0.1:PORT is required.");
var service = builder.Configuration["Service"] ?? throw new InvalidOperationException("--Service NAME is required.");
var sessionTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("SessionTimeoutSeconds", 10));
builder.Services.AddSdKit()
    .AddZooKeeper(options => options.Connection.SessionTimeout = sessionTimeout)
    .AddRegistration(service, url);
var app = builder.Build();
app.Run(context => context.Response.WriteAsync(context.Request.Host.Value ?? string.Empty));
await app.RunAsync().ConfigureAwait(false);

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/hosting.md, the etcd configuration: addresses and registration from configuration, the rest in code.</summary>
internal static class EtcdConfigurationSnippet
{
    public static void Configure(WebApplicationBuilder builder)
    {
        // begin-snippet: etcd-configuration
        // appsettings.json:
        // { "SdKit": { "Etcd": { "Endpoints": "http://10.0.0.1:2379,http://10.0.0.2:2379,http://10.0.0.3:2379" },
        //              "Registration": { "Service": "hello", "Instance": "http://10.0.0.5:8080" } } }
        builder.Services.AddSdKit()                                    // binds SdKit, registers SdKit:Registration
            .AddEtcd(etcd =>                                           // SdKit:Etcd is already read; code wins
            {
                etcd.LeaseTtl = TimeSpan.FromSeconds(10);              // a crashed app's entry outlives it this long
                etcd.Username = builder.Configuration["Etcd:Username"]; // null: auth off
                etcd.Password = builder.Configuration["Etcd:Password"];
                etcd.TrustedCaFile = builder.Configuration["Etcd:CaFile"]; // https endpoints; null: system roots
            });
        builder.Services.AddHealthChecks().AddSdKit();
        // end-snippet
    }
}

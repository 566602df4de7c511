using Microsoft.Playwright;

namespace SdKit.Dashboard.Tests.Support;

/// <summary>
/// Debian's chromium driven by Playwright through its executable path: Playwright never downloads a browser here.
/// A browser that cannot start fails the test with what to install; it is never skipped.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    /// <summary>Gets the browser's one context, on a fresh profile of its own.</summary>
    public IBrowserContext Context { get; }

    public static async Task<Chromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"chromium is not installed at {ExecutablePath}: run scripts/install-backends.sh (apt-get install chromium).");
        }

        IPlaywright playwright;
        try
        {
            playwright = await Playwright.CreateAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Playwright's driver did not start ({ex.Message}); it ships in the Microsoft.Playwright package under .playwright/ next to the test binaries: rebuild tests/SdKit.Dashboard.Tests.", ex);
        }

        var profile = Directory.CreateTempSubdirectory("sdkit-chromium-").FullName;
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            });
            return new Chromium(playwright, context, profile);
        }
        catch (Exception ex)
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw new InvalidOperationException($"chromium at {ExecutablePath} did not start under Playwright: {ex.Message}", ex);
        }
    }

    public async Task<IPage> OpenAsync(Uri address)
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync(address.ToString());
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its profile as it exits; the temporary folder is left to the system.
        }
    }
}

using Microsoft.Playwright;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Debian's chromium driven by Playwright (no browser download: its executable path is
/// set), against the real server binary on Kestrel, with a place for screenshots. Without chromium
/// the browser tests are skipped, loudly; under CI=true that is a failure instead.</summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? playwright;
    private IBrowser? browser;
    private readonly string databaseFile = Path.Combine(Path.GetTempPath(), "offerhub-tests", "console-" + Guid.NewGuid().ToString("N") + ".db");

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>Screenshots land here: bin/…/artifacts/console, next to the test binary (ignored by git).</summary>
    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "console");

    public static bool Available => File.Exists(Chromium);

    public static void SkipUnlessAvailable()
    {
        if (!Available && Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"CI must run the browser tests: {Chromium} is missing (install the 'chromium' package; .ci/run does)");
        }

        Skip.IfNot(Available, $"SKIPPED (no chromium): {Chromium} is missing; install Debian's 'chromium' package to run the console's browser tests");
    }

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(databaseFile)!);
        Directory.CreateDirectory(Artifacts);
        Server = await ServerProcess.StartAsync("sqlite://" + databaseFile);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = Args });
    }

    /// <summary>A fresh browser profile (no cookies) at the console's reference size, 1280×800.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        // Destructive console actions ask first; the tests answer yes.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm" })
        {
            File.Delete(path);
        }
    }
}

using Microsoft.Playwright;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright through the node driver that the NuGet package puts in the build output
/// (<c>.playwright/</c>), so nothing is downloaded. One browser for the whole collection, started by the first browser
/// test that asks for it, so that the other tests of the collection never wait for it. A missing browser fails every
/// browser test with a message that says how to install it: browser tests never skip.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser; <c>CACHEPURGE_CHROMIUM</c> names another.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>
    /// How long an action or an expectation waits: a missing element fails a test in seconds, and a page that
    /// rebuilds the tenant after a settings change still has time on a loaded 2-core machine.
    /// </summary>
    private const float Timeout = 20_000;

    private readonly Lazy<Task<IBrowser>> _browser;
    private IPlaywright _playwright;
    private string _signedInState;

    public Chromium()
    {
        _browser = new(LaunchAsync);
        Assertions.SetDefaultExpectTimeout(Timeout);
    }

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CACHEPURGE_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Screenshots go here, beside the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A new browser context (its own cookies) of the given size, signed out.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900, string storageState = null)
    {
        var browser = await _browser.Value;
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            StorageState = storageState,
            Locale = "en-US",
        });

        context.SetDefaultTimeout(Timeout);
        return context;
    }

    /// <summary>
    /// The cookies of the admin, signed in once through the login form and then reused, so that each test opens a
    /// signed-in page without signing in again.
    /// </summary>
    public async Task<string> SignedInStateAsync(OrchardSite site)
    {
        if (_signedInState is null)
        {
            await using var context = await NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(site.BaseUrl, "Login").ToString());
            await LogInAsync(page);
            _signedInState = await context.StorageStateAsync();
        }

        return _signedInState;
    }

    /// <summary>Fills in the login form shown on <paramref name="page"/> as the admin, posts it and waits to leave it.</summary>
    public static async Task LogInAsync(IPage page)
    {
        await page.GetByLabel("Username or email address").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(OrchardSite.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Login", StringComparison.OrdinalIgnoreCase));
    }

    public async Task DisposeAsync()
    {
        if (_browser.IsValueCreated && _browser.Value.IsCompletedSuccessfully)
        {
            await _browser.Value.Result.CloseAsync();
        }

        _playwright?.Dispose();
    }

    private async Task<IBrowser> LaunchAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Chromium at {path}: the browser tests need Debian's chromium package (bash .ci/install-browser, or apt-get install chromium), " +
                "or CACHEPURGE_CHROMIUM set to another Chromium. Playwright's own browser download is not used.");
        }

        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = path,
            Headless = true,

            // Tests run as root, where Chromium's sandbox cannot start; the machine has no GPU and no way out.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update"],
        });
    }
}

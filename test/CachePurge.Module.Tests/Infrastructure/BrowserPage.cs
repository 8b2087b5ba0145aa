using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// One page of <see cref="Chromium"/> for one test, in a context of its own. Disposing it saves a screenshot of the
/// whole page as the test left it, passed or failed, to <see cref="Chromium.ScreenshotFolder"/>.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly OrchardSite _site;
    private readonly ITestOutputHelper _output;
    private readonly string _name;

    private BrowserPage(IBrowserContext context, IPage page, OrchardSite site, ITestOutputHelper output, string name)
    {
        _context = context;
        Page = page;
        _site = site;
        _output = output;
        _name = name;
    }

    public IPage Page { get; }

    /// <summary>A page signed in as the admin (the sign-in is shared by the collection's tests).</summary>
    public static async Task<BrowserPage> SignedInAsync(Chromium chromium, OrchardSite site, ITestOutputHelper output, string name, int width = 1280, int height = 900) =>
        await OpenAsync(await chromium.NewContextAsync(width, height, await chromium.SignedInStateAsync(site)), site, output, name);

    /// <summary>A page of a new visitor, signed out.</summary>
    public static async Task<BrowserPage> SignedOutAsync(Chromium chromium, OrchardSite site, ITestOutputHelper output, string name) =>
        await OpenAsync(await chromium.NewContextAsync(), site, output, name);

    /// <summary>Opens <paramref name="path"/> of the site and waits for it to load.</summary>
    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(new Uri(_site.BaseUrl, path).ToString());
        Assert.True(response?.Ok, $"GET {path} answered {response?.Status}.");
    }

    /// <summary>Saves a picture of <paramref name="element"/> alone as <c>{test}-{suffix}.png</c>, for the README.</summary>
    public async Task<string> ScreenshotAsync(ILocator element, string suffix)
    {
        var path = Path.Combine(Chromium.ScreenshotFolder, $"{_name}-{suffix}.png");
        // TheAdmin's top bar is fixed: it would cover the top of an element scrolled into view under it.
        await element.ScreenshotAsync(new() { Path = path, Animations = ScreenshotAnimations.Disabled, Style = ".ta-navbar-top { visibility: hidden; }" });
        _output.WriteLine($"Screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var path = Path.Combine(Chromium.ScreenshotFolder, $"{_name}.png");
            await Page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
            _output.WriteLine($"Screenshot: {path}");
        }
        catch (PlaywrightException e)
        {
            // Said, not thrown: an exception here would hide the one that failed the test.
            _output.WriteLine($"No screenshot: {e.Message}");
        }
        finally
        {
            await _context.CloseAsync();
        }
    }

    private static async Task<BrowserPage> OpenAsync(IBrowserContext context, OrchardSite site, ITestOutputHelper output, string name) =>
        new(context, await context.NewPageAsync(), site, output, name);
}

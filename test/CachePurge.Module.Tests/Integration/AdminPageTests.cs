using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;
using OrchardCore.Users.Models;
using OrchardCore.Users.Services;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class AdminPageTests
{
    private const string SettingsPage = "Admin/Settings/CachePurge";
    private const string OperationsPage = "Admin/CachePurge/Index";

    private readonly OrchardSite _site;

    public AdminPageTests(OrchardSite site)
    {
        _site = site;
    }

    [Fact]
    public async Task Settings_page_refuses_a_cache_url_that_is_not_http_and_saves_nothing()
    {
        var before = await _site.GetSettingsAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);

        using var response = await admin.PostAsync(SettingsPage, SettingsForm(page, "ftp://127.0.0.1:6081"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[0].BaseUrl: &#x27;ftp://127.0.0.1:6081&#x27; is not an http:// or https:// URL.", await response.Content.ReadAsStringAsync());
        Assert.Equal(before.Caches[0].BaseUrl, (await _site.GetSettingsAsync()).Caches[0].BaseUrl);
    }

    [Fact]
    public async Task Settings_page_shows_pipelining_on_and_saves_it_off()
    {
        var before = await _site.GetSettingsAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);
        var form = SettingsForm(page, before.Caches[0].BaseUrl);
        form[form.Keys.Single(k => k.EndsWith(".Caches[0].Name", StringComparison.Ordinal)).Replace(".Name", ".Pipelining", StringComparison.Ordinal)] = "false";

        try
        {
            Assert.Matches("<input[^>]*checked=\"checked\"[^>]*Caches_0__Pipelining|<input[^>]*Caches_0__Pipelining[^>]*checked=\"checked\"", page);
            using var response = await admin.PostAsync(SettingsPage, form);

            // A saved form redirects back to the page (a refused one is shown again with 200).
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.False((await _site.GetSettingsAsync()).Caches[0].Pipelining);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches[0].Pipelining = true);
        }
    }

    /// <summary>The settings form for one Varnish cache at <paramref name="baseUrl"/>, as the page would post it.</summary>
    internal static Dictionary<string, string> SettingsForm(string page, string baseUrl)
    {
        var prefix = AdminBrowser.FieldName(page, ".Caches[0].BaseUrl")[..^".Caches[0].BaseUrl".Length];
        return new()
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            [$"{prefix}.Enabled"] = "true",
            [$"{prefix}.SiteHosts"] = OrchardSite.Host,
            [$"{prefix}.EscalationThreshold"] = "500",
            [$"{prefix}.Caches[0].Name"] = "varnish",
            [$"{prefix}.Caches[0].BaseUrl"] = baseUrl,
            [$"{prefix}.Caches[0].Kind"] = "Varnish",
            [$"{prefix}.Caches[0].TimeoutSeconds"] = "5",
            [$"{prefix}.Caches[0].MaxConcurrency"] = "16",
            [$"{prefix}.Caches[0].RequestsPerSecond"] = "0",
            [$"{prefix}.Caches[0].PurgePathPrefix"] = "/purge",
            [$"{prefix}.Caches[0].Method"] = "PURGE",
            [$"{prefix}.Caches[0].PathTemplate"] = "{path}",
            [$"{prefix}.Caches[0].TagHeader"] = "xkey-purge",
            [$"{prefix}.Caches[0].Pipelining"] = "true",
            [$"{prefix}.ResponseTagHeader"] = "xkey",
            [$"{prefix}.ResponseTagSeparator"] = " ",
            [$"{prefix}.ResponseTagHeaderLimit"] = "7500",
        };
    }

    [Fact]
    public async Task Operations_page_shows_the_caches_and_a_test_reaches_varnish()
    {
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);
        Assert.Contains(_site.Varnish.BaseUrl.ToString().TrimEnd('/'), page);

        using var response = await admin.PostAsync("Admin/CachePurge/Test", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["cache"] = "varnish",
        });

        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/cachepurge-probe", answer);
        Assert.Matches(OutcomeCell("purged"), answer);
    }

    [Fact]
    public async Task Outcomes_are_shown_in_words_not_as_engine_names()
    {
        await WithSquidAsync(async admin =>
        {
            var page = await admin.GetStringAsync(OperationsPage);
            using var tested = await admin.PostLinkAsync(page, LinkHref(CacheRow(page, "squid"), "Test"));

            // Nothing listens where the Squid is said to be: the engine's Failed must read "failed".
            var answer = await tested.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
            Assert.Matches(OutcomeCell("failed"), answer);
            Assert.Contains("no answer", answer);
            Assert.DoesNotMatch(@"<td[^>]*>\s*(Purged|NotCached|Refused|Failed)\b", answer);
        });
    }

    [Fact]
    public async Task Purge_everything_is_not_offered_for_a_cache_that_cannot_purge_everything()
    {
        await WithSquidAsync(async admin =>
        {
            var page = await admin.GetStringAsync(OperationsPage);

            Assert.DoesNotContain("PurgeEverything", CacheRow(page, "squid"));
            Assert.Contains("Cannot purge everything at once", CacheRow(page, "squid"));
            Assert.Contains("PurgeEverything?cache=varnish", LinkHref(CacheRow(page, "varnish"), "PurgeEverything"));

            // The button for every cache names only the caches it reaches.
            var everyCache = ActionBarLink(page, "PurgeEverything");
            Assert.Contains("data-message=\"Every page of the site will be purged from varnish. Are you sure?\"", everyCache);
        });
    }

    [Fact]
    public async Task Purge_everything_posted_for_a_cache_that_cannot_sends_it_nothing_and_says_so()
    {
        await WithSquidAsync(async admin =>
        {
            var page = await admin.GetStringAsync(OperationsPage);

            using var response = await admin.PostAsync("Admin/CachePurge/PurgeEverything", new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AdminBrowser.Token(page),
                ["cache"] = "squid",
            });

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var after = await admin.GetStringAsync(OperationsPage);
            Assert.Contains("squid cannot purge every page at once: nothing was sent to it.", after);
            Assert.Contains("0 purges waiting.", CacheRow(after, "squid"));
        });
    }

    [Fact]
    public async Task Purge_everything_asks_for_confirmation_through_TheAdmin_before_it_posts()
    {
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);
        var row = CacheRow(page, "varnish");
        var button = Regex.Match(row, "<a [^>]*PurgeEverything[^>]*>").Value;

        // A link, not a submit button: TheAdmin shows its modal for RemoveUrl and posts it as a form for UnsafeUrl.
        Assert.Contains("data-url-af=\"RemoveUrl UnsafeUrl\"", button);
        Assert.Contains("data-title=\"Purge everything\"", button);
        Assert.Contains("data-message=\"Every page of the site will be purged from varnish. Are you sure?\"", button);
        Assert.DoesNotMatch("<button[^>]*type=\"submit\"[^>]*>\\s*Purge everything", page);

        // Confirmed, the link purges: the site tag reaches Varnish.
        using var response = await admin.PostLinkAsync(page, LinkHref(row, "PurgeEverything"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await _site.WhenPurgedAsync();
        Assert.Contains("Every page is being purged from varnish.", await admin.GetStringAsync(OperationsPage));
    }

    [Fact]
    public async Task Recent_requests_are_still_listed_after_the_settings_are_saved()
    {
        var path = $"/recent-{Guid.NewGuid():N}";
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);
        using (var purged = await admin.PostAsync("Admin/CachePurge/Purge", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["urls"] = path,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, purged.StatusCode);
        }

        await _site.WhenPurgedAsync();
        Assert.Contains(path, await admin.GetStringAsync(OperationsPage));
        var engine = await EngineAsync();

        try
        {
            // A new timeout changes the engine's options: saving them replaces the engine.
            var settingsPage = await admin.GetStringAsync(SettingsPage);
            var form = SettingsForm(settingsPage, _site.Varnish.BaseUrl.ToString().TrimEnd('/'));
            form[form.Keys.Single(k => k.EndsWith(".Caches[0].TimeoutSeconds", StringComparison.Ordinal))] = "6";
            using var saved = await admin.PostAsync(SettingsPage, form);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

            var after = await admin.GetStringAsync(OperationsPage);
            Assert.NotSame(engine, await EngineAsync());
            Assert.Contains(path, after);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches[0].TimeoutSeconds = 5);
        }
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_refused()
    {
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostAsync("Admin/CachePurge/PurgeEverything", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(SettingsPage)]
    [InlineData(OperationsPage)]
    public async Task User_without_the_permission_is_forbidden(string path)
    {
        await EnsureEditorAsync();
        using var editor = await AdminBrowser.SignInAsync(_site.BaseUrl, "editor", OrchardSite.AdminPassword);

        using var response = await editor.GetAsync(path);

        // Orchard answers a forbidden admin page with its access-denied page.
        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
            || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("403", StringComparison.Ordinal) == true,
            $"{path} answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Recipe_step_with_a_bad_cache_url_fails_with_the_field_and_writes_nothing()
    {
        var before = await _site.GetSettingsAsync();
        RecipeExecutionContext context = null;

        await _site.InTenantAsync(async services =>
        {
            context = new RecipeExecutionContext
            {
                Name = "CachePurgeSettings",
                Step = JsonNode.Parse("""{ "name": "CachePurgeSettings", "Caches": [ { "Name": "varnish", "BaseUrl": "not a url", "Kind": "Varnish" } ], "SiteHosts": [ "www.example.com" ] }""")!.AsObject(),
            };
            foreach (var handler in services.GetServices<IRecipeStepHandler>())
            {
                await handler.ExecuteAsync(context);
            }
        });

        var error = Assert.Single(context.Errors);
        Assert.Equal("CachePurgeSettings step, Caches[0].BaseUrl: 'not a url' is not an http:// or https:// URL.", error);
        Assert.Equal(before.Caches[0].BaseUrl, (await _site.GetSettingsAsync()).Caches[0].BaseUrl);
    }

    /// <summary>The outcome cell of a results table that reads <paramref name="word"/>.</summary>
    private static string OutcomeCell(string word) => $"<td class=\"outcome\">\\s*{word}\\s*<";

    /// <summary>The operations page's entry for one cache.</summary>
    private static string CacheRow(string page, string cache)
    {
        var match = Regex.Match(page, $"<li class=\"list-group-item\" data-cache=\"{cache}\">.*?</li>", RegexOptions.Singleline);
        return match.Success ? match.Value : throw new InvalidOperationException($"No cache named {cache} on the page.");
    }

    /// <summary>The link to <paramref name="action"/> in the action bar at the top of the page.</summary>
    private static string ActionBarLink(string page, string action)
    {
        var bar = Regex.Match(page, "<div class=\"card text-bg-theme mb-3 position-sticky action-bar\">.*?</div>\\s*</div>\\s*</div>", RegexOptions.Singleline).Value;
        return Regex.Match(bar, $"<a [^>]*/{action}\"[^>]*>").Value;
    }

    /// <summary>The address of the link to <paramref name="action"/> in <paramref name="html"/>.</summary>
    private static string LinkHref(string html, string action) =>
        Regex.Match(html, $"<a [^>]*href=\"([^\"]*/{action}\\?[^\"]*)\"").Groups[1].Value;

    /// <summary>Runs <paramref name="test"/> while the site also lists a Squid, which cannot purge everything, where nothing listens.</summary>
    private async Task WithSquidAsync(Func<AdminBrowser, Task> test)
    {
        var squid = new CachePurgeCacheSettings { Name = "squid", BaseUrl = $"http://127.0.0.1:{FreePort.Next()}", Kind = CacheKind.Squid, TimeoutSeconds = 2 };
        await _site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "squid"), squid]);
        try
        {
            using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
            await test(admin);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "squid")]);
        }
    }

    /// <summary>The tenant's engine as it is now.</summary>
    private async Task<PurgeDispatcher> EngineAsync()
    {
        PurgeDispatcher engine = null;
        await _site.InTenantAsync(async services => engine = await services.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d, null));
        return engine;
    }

    private Task EnsureEditorAsync() => _site.InTenantAsync(async services =>
    {
        var userService = services.GetRequiredService<IUserService>();
        if (await userService.GetUserAsync("editor") is null)
        {
            var user = new User { UserName = "editor", Email = "editor@example.com", EmailConfirmed = true, RoleNames = ["Editor"] };
            await userService.CreateUserAsync(user, OrchardSite.AdminPassword, (key, message) => throw new InvalidOperationException($"{key}: {message}"));
        }
    });
}

using System.Net;
using System.Text.Json.Nodes;
using CachePurge.Module.Tests.Infrastructure;
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
        Assert.Contains("Purged", answer);
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

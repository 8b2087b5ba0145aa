using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Module.Deployment;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Deployment;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;

namespace CachePurge.Module.Tests.Integration;

/// <summary>Settings → Cache Policy, its recipe step and its deployment step, and the headers the site sends with them.</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class CachePolicySettingsTests(OrchardSite site)
{
    private const string SettingsPage = "Admin/Settings/CachePolicy";

    [Theory]
    [InlineData("/about", 200, "public, max-age=60, s-maxage=86400, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData("/", 200, "public, max-age=60, s-maxage=300, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData("/home", 200, "public, max-age=60, s-maxage=300, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData("/no-such-page", 404, "public, max-age=60, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400")]
    public async Task The_sample_recipes_policy_gives_pages_a_day_the_home_page_5_minutes_and_a_404_a_minute(string path, int status, string cacheControl)
    {
        using var client = new HttpClient { BaseAddress = site.BaseUrl };

        using var response = await client.GetAsync(path.TrimStart('/'));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(cacheControl, response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_signed_in_users_view_of_a_page_keeps_the_no_store_of_its_log_off_form()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.GetAsync("about");

        // The theme's log-off form carries an antiforgery token, whose "no-store" the policy leaves as it is.
        Assert.Equal("no-store, no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Settings_page_lists_the_content_types_and_saving_it_gives_the_very_next_page_the_new_lifetime()
    {
        var before = await site.GetPolicyAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);
        var form = HtmlForm.Fields(page);
        var pageRow = PageRow(form);
        form[pageRow[..^".ContentType".Length] + ".Seconds"] = "120";
        form[HtmlForm.Key(form, ".Paths[0].Match")] = "/feeds";
        form[HtmlForm.Key(form, ".Paths[0].Seconds")] = "900";

        try
        {
            using (var saved = await admin.PostAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            }

            var policy = await site.GetPolicyAsync();
            Assert.Equal(120, policy.ContentTypes.Single(r => r.ContentType == "Page").Seconds);
            Assert.Equal(("/feeds", 900), (policy.Paths.Single().Match, policy.Paths.Single().Seconds));

            using var client = new HttpClient { BaseAddress = site.BaseUrl };
            using var response = await client.GetAsync("about");
            Assert.Contains("s-maxage=120,", response.Headers.CacheControl?.ToString());
        }
        finally
        {
            await site.RestorePolicyAsync(before);
        }
    }

    [Fact]
    public async Task Settings_page_refuses_a_pattern_that_is_not_a_regular_expression_naming_the_field_and_saves_nothing()
    {
        var before = await site.GetPolicyAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var form = HtmlForm.Fields(await admin.GetStringAsync(SettingsPage));
        form[HtmlForm.Key(form, ".DefaultSeconds")] = "1";
        form[HtmlForm.Key(form, ".Paths[0].Match")] = "^/tags/(";
        form[HtmlForm.Key(form, ".Paths[0].Seconds")] = "60";

        using var response = await admin.PostAsync(SettingsPage, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Paths[0].Match: &#x27;^/tags/(&#x27; is not a valid regular expression", await response.Content.ReadAsStringAsync());
        Assert.Equal(before.DefaultSeconds, (await site.GetPolicyAsync()).DefaultSeconds);
    }

    [Fact]
    public async Task Recipe_step_with_bad_input_fails_naming_each_field_and_writes_nothing()
    {
        var before = await site.GetPolicyAsync();

        var errors = await RunStepAsync("""
            { "name": "CachePolicySettings", "Enabled": true, "DefaultSeconds": -5,
              "ContentTypes": [ { "ContentType": "Article", "Seconds": 86400 }, { "ContentType": "Article", "Seconds": 60 } ],
              "Paths": [ { "Match": "feeds", "Seconds": 60 } ] }
            """);

        Assert.Equal(
            [
                "CachePolicySettings step, DefaultSeconds: -5 is not a lifetime: use 0 to 31,536,000 seconds (one year).",
                "CachePolicySettings step, ContentTypes[1].ContentType: 'Article' has a rule already.",
                "CachePolicySettings step, Paths[0].Match: 'feeds' is neither a path prefix (it starts with /) nor a pattern (it starts with ^).",
            ],
            errors);
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(await site.GetPolicyAsync()));
    }

    [Fact]
    public async Task Recipe_step_sets_the_policy_and_the_next_page_has_it()
    {
        var before = await site.GetPolicyAsync();
        try
        {
            var errors = await RunStepAsync("""
                { "name": "CachePolicySettings", "Enabled": true, "DefaultSeconds": 600, "BrowserSeconds": 0,
                  "StaleWhileRevalidateSeconds": 0, "StaleIfErrorSeconds": 0, "CdnCacheControl": true,
                  "ContentTypes": [ { "ContentType": "Page", "Seconds": 7200 } ] }
                """);
            Assert.Empty(errors);

            using var client = new HttpClient { BaseAddress = site.BaseUrl };
            using var response = await client.GetAsync("about");
            Assert.Equal("public, max-age=0, s-maxage=7200", response.Headers.CacheControl?.ToString());
            Assert.Equal("max-age=7200", string.Join(",", response.Headers.GetValues("CDN-Cache-Control")));
        }
        finally
        {
            await site.RestorePolicyAsync(before);
        }
    }

    [Fact]
    public async Task Deployment_step_exports_a_recipe_step_that_imports_to_the_same_policy()
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        var before = await site.GetPolicyAsync();
        JsonObject exported = null;
        await site.InTenantAsync(async services =>
        {
            var result = new DeploymentPlanResult(new NullFileBuilder(), new OrchardCore.Recipes.Models.RecipeDescriptor());
            foreach (var source in services.GetServices<IDeploymentSource>())
            {
                await source.ProcessDeploymentStepAsync(new CachePolicySettingsDeploymentStep(), result);
            }

            exported = Assert.Single(result.Steps);
        });
        Assert.Equal("CachePolicySettings", exported["name"]?.GetValue<string>());
        Assert.Equal(86400, exported["ContentTypes"]![0]!["Seconds"]!.GetValue<int>());

        try
        {
            await site.UpdatePolicyAsync(p => p.DefaultSeconds = 1);
            Assert.Empty(await RunStepAsync(exported.ToJsonString()));
            Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(await site.GetPolicyAsync()));
        }
        finally
        {
            await site.RestorePolicyAsync(before);
        }
    }

    [Fact]
    public async Task Deployment_step_is_offered_under_the_Configuration_category()
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync("Admin/DeploymentPlan/Create");
        using var created = await admin.PostAsync("Admin/DeploymentPlan/Create", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["Name"] = "Cache policy " + Guid.NewGuid().ToString("N"),
        });

        var plan = await admin.GetStringAsync(created.Headers.Location!.ToString().TrimStart('/'));

        Assert.Matches(new System.Text.RegularExpressions.Regex(
            """<div class="col item deployment-step-item" data-category="configuration">"""
            + """(?:(?!deployment-step-item).)*?<h4 class="card-title">Cache policy settings</h4>"""
            + """(?:(?!deployment-step-item).)*?type=CachePolicySettingsDeploymentStep">Add</a>""",
            System.Text.RegularExpressions.RegexOptions.Singleline), plan);
    }

    [Fact]
    public async Task Deployment_step_editor_answers_200_and_adding_it_shows_its_summary_on_the_plan()
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var create = await admin.GetStringAsync("Admin/DeploymentPlan/Create");
        using var created = await admin.PostAsync("Admin/DeploymentPlan/Create", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(create),
            ["Name"] = "Cache policy " + Guid.NewGuid().ToString("N"),
        });
        var planId = created.Headers.Location!.ToString().Split('/')[^1];

        var editor = await admin.GetStringAsync($"Admin/DeploymentPlan/{planId}/Step/Create?type=CachePolicySettingsDeploymentStep");
        Assert.Contains("<h5>Cache policy settings</h5>", editor);
        var form = HtmlForm.Fields(editor);
        using var added = await admin.PostAsync($"Admin/DeploymentPlan/{planId}/Step/Create", form);

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Exports the cache policy: the lifetimes of pages in caches and browsers.", await admin.GetStringAsync($"Admin/DeploymentPlan/Display/{planId}"));
    }

    private static string PageRow(Dictionary<string, string> form) =>
        form.Single(f => f.Key.EndsWith(".ContentType", StringComparison.Ordinal) && f.Value == "Page").Key;

    private async Task<IReadOnlyList<string>> RunStepAsync(string step)
    {
        RecipeExecutionContext context = null;
        await site.InTenantAsync(async services =>
        {
            context = new RecipeExecutionContext { Name = "CachePolicySettings", Step = JsonNode.Parse(step)!.AsObject() };
            foreach (var handler in services.GetServices<IRecipeStepHandler>())
            {
                await handler.ExecuteAsync(context);
            }
        });
        return [.. context.Errors];
    }
}

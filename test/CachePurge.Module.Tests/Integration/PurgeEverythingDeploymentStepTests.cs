using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CachePurge.Module.Deployment;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Settings;
using OrchardCore.Html.Models;
using OrchardCore.Templates.Models;
using OrchardCore.Templates.Services;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// The "Purge everything after import" deployment step: a plan that changes templates or settings ends with a purge on
/// the site that imports it, whatever that site's switches for site-wide changes say.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class PurgeEverythingDeploymentStepTests(OrchardSite site)
{
    private const string StepType = nameof(PurgeEverythingDeploymentStep);
    private const string PageType = "SiteWideDeployedPage";

    [Fact]
    public async Task Step_is_offered_under_Configuration_and_its_editor_answers_200()
    {
        using var admin = await SignInAsync();
        var planId = await DeploymentStepScreenTests.CreatePlanAsync(admin);

        var plan = await admin.GetStringAsync($"Admin/DeploymentPlan/Display/{planId}");
        using var editor = await admin.GetAsync($"Admin/DeploymentPlan/{planId}/Step/Create?type={StepType}");

        Assert.Matches(new Regex(
            """<div class="col item deployment-step-item" data-category="configuration">"""
            + """(?:(?!deployment-step-item).)*?<h4 class="card-title">Purge everything after import</h4>"""
            + $"""(?:(?!deployment-step-item).)*?href="/Admin/DeploymentPlan/{planId}/Step/Create\?type={StepType}">Add</a>""",
            RegexOptions.Singleline), plan);
        Assert.Equal(HttpStatusCode.OK, editor.StatusCode);
        Assert.Contains("<h5>Purge everything after import</h5>", await editor.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_plan_exported_with_the_step_and_imported_with_every_switch_off_makes_a_cached_page_a_miss_showing_the_imported_template()
    {
        using var admin = await SignInAsync();
        var before = await site.GetSettingsAsync();
        await site.UpdateSettingsAsync(s => s.SiteChanges = new CachePurgeSiteChangeSettings
        {
            Templates = false, Layers = false, SiteSettings = false, Theme = false, Features = false, Placements = false,
        });

        try
        {
            // The plan carries the templates as they are now, and the step, last.
            await SaveTemplateAsync("<p>template of the plan</p>");
            var planId = await DeploymentStepScreenTests.CreatePlanAsync(admin);
            await AddStepAsync(admin, planId, "AllTemplatesDeploymentStep");
            await AddStepAsync(admin, planId, StepType);
            var recipe = await ExportAsync(admin, planId);
            Assert.Equal("CachePurgeEverything", recipe["steps"]!.AsArray()[^1]!["name"]!.GetValue<string>());

            // The site then moves on, and a page is cached with the template of the day.
            await SaveTemplateAsync("<p>template of the day</p>");
            var path = await CreatePageAsync("sitewide-deployed", "a page under an imported template");
            await site.GetThroughCacheAsync(path);
            var (hit, _, cached) = await site.GetThroughCacheAsync(path);
            Assert.True(hit);
            Assert.Contains("template of the day", cached);

            await site.ImportAsync(recipe.ToJsonString());
            await site.WhenPurgedAsync();

            var (missHit, status, body) = await site.GetThroughCacheAsync(path);
            Assert.False(missHit, "The import did not purge the page.");
            Assert.Equal(200, status);
            Assert.Contains("template of the plan", body);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    private async Task<AdminBrowser> SignInAsync()
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        await site.EnableFeaturesAsync("OrchardCore.Templates");
        return await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
    }

    private Task SaveTemplateAsync(string liquid) => site.InTenantAsync(services =>
        services.GetRequiredService<TemplatesManager>().UpdateTemplateAsync($"Content__{PageType}", new Template { Content = liquid }));

    private async Task<string> CreatePageAsync(string path, string text)
    {
        await site.InTenantAsync(services => services.GetRequiredService<IContentDefinitionManager>().AlterTypeDefinitionAsync(PageType, type => type
            .WithPart("TitlePart")
            .WithPart("AutoroutePart", part => part.WithSettings(new AutoroutePartSettings { AllowCustomPath = true }))
            .WithPart("HtmlBodyPart")));
        await site.CreateAsync(PageType, path, path, item => item.Alter<HtmlBodyPart>(p => p.Html = $"<p>{text}</p>"));
        return "/" + path;
    }

    /// <summary>Adds a step of <paramref name="type"/>, with its editor's defaults, through the plan's screens.</summary>
    private static async Task AddStepAsync(AdminBrowser admin, long planId, string type)
    {
        var editor = await admin.GetStringAsync($"Admin/DeploymentPlan/{planId}/Step/Create?type={type}");
        using var response = await admin.PostAsync($"Admin/DeploymentPlan/{planId}/Step/Create", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(editor),
            ["DeploymentPlanId"] = planId.ToString(CultureInfo.InvariantCulture),
            ["DeploymentStepId"] = DeploymentStepScreenTests.Hidden(editor, "DeploymentStepId"),
            ["DeploymentStepType"] = type,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>The recipe of the plan's package, exported as the plan's "Export" button does.</summary>
    private static async Task<JsonObject> ExportAsync(AdminBrowser admin, long planId)
    {
        var plan = await admin.GetStringAsync($"Admin/DeploymentPlan/Display/{planId}");
        using var response = await admin.PostAsync($"Admin/DeploymentPlan/ExportFile/Execute/{planId}", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(plan),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        await using var recipe = zip.GetEntry("Recipe.json")!.Open();
        return (await JsonNode.ParseAsync(recipe))!.AsObject();
    }
}

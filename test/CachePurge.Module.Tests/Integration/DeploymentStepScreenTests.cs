using System.Net;
using System.Text.RegularExpressions;
using CachePurge.Module.Deployment;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Deployment;

namespace CachePurge.Module.Tests.Integration;

/// <summary>The module's deployment step on Orchard 3.0.1's deployment plan screens (OrchardCore.Deployment, which the sample recipe leaves off).</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class DeploymentStepScreenTests(OrchardSite site)
{
    private const string StepType = nameof(CachePurgeSettingsDeploymentStep);

    [Fact]
    public async Task Step_editor_answers_200_with_the_include_secrets_checkbox()
    {
        using var admin = await SignInAsync();
        var planId = await CreatePlanAsync(admin);

        using var response = await admin.GetAsync($"Admin/DeploymentPlan/{planId}/Step/Create?type={StepType}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Matches("""<input (?=[^>]*type="checkbox")(?=[^>]*name="CachePurgeSettingsDeploymentStep.IncludeSecrets")[^>]*/>""", page);
        Assert.Matches("""<label (?=[^>]*for="CachePurgeSettingsDeploymentStep_IncludeSecrets")[^>]*>Include secret header values</label>""", page);
    }

    [Fact]
    public async Task Step_posted_from_its_editor_is_saved_and_shows_its_summary_on_the_plan()
    {
        using var admin = await SignInAsync();
        var planId = await CreatePlanAsync(admin);
        var editor = await admin.GetStringAsync($"Admin/DeploymentPlan/{planId}/Step/Create?type={StepType}");

        using var response = await admin.PostAsync($"Admin/DeploymentPlan/{planId}/Step/Create", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(editor),
            ["DeploymentPlanId"] = planId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeploymentStepId"] = Hidden(editor, "DeploymentStepId"),
            ["DeploymentStepType"] = StepType,
            [AdminBrowser.FieldName(editor, ".IncludeSecrets")] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Admin/DeploymentPlan/Display/{planId}", response.Headers.Location?.ToString());
        var plan = await admin.GetStringAsync($"Admin/DeploymentPlan/Display/{planId}");
        Assert.Matches(new Regex(
            """<ul class="list-group" id="stepOrder">\s*<li class="list-group-item">.*?<h5>Cache purge settings</h5>\s*"""
            + """<span class="hint">Exports the cache purge settings; secret header values only if the step asks for them.</span>""",
            RegexOptions.Singleline), plan);

        CachePurgeSettingsDeploymentStep saved = null;
        await site.InTenantAsync(async services =>
        {
            var plans = await services.GetRequiredService<IDeploymentPlanService>().GetAllDeploymentPlansAsync();
            saved = plans.Single(p => p.Id == planId).DeploymentSteps.OfType<CachePurgeSettingsDeploymentStep>().Single();
        });
        Assert.True(saved.IncludeSecrets);
    }

    [Fact]
    public async Task Step_is_offered_under_the_Configuration_category_of_the_add_step_list()
    {
        using var admin = await SignInAsync();
        var planId = await CreatePlanAsync(admin);

        var plan = await admin.GetStringAsync($"Admin/DeploymentPlan/Display/{planId}");

        Assert.Contains("""<a class="nav-link" href="#configuration" data-category="configuration">Configuration</a>""", plan);

        // The step's card, within one item of the list, with the link that opens its editor.
        Assert.Matches(new Regex(
            """<div class="col item deployment-step-item" data-category="configuration">"""
            + """(?:(?!deployment-step-item).)*?<h4 class="card-title">Cache purge settings</h4>"""
            + $"""(?:(?!deployment-step-item).)*?href="/Admin/DeploymentPlan/{planId}/Step/Create\?type={StepType}">Add</a>""",
            RegexOptions.Singleline), plan);
    }

    private async Task<AdminBrowser> SignInAsync()
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        return await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
    }

    /// <summary>Creates a plan through its screen, as an administrator does, and returns its id.</summary>
    internal static async Task<long> CreatePlanAsync(AdminBrowser admin)
    {
        var page = await admin.GetStringAsync("Admin/DeploymentPlan/Create");
        using var response = await admin.PostAsync("Admin/DeploymentPlan/Create", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["Name"] = "Cache purge " + Guid.NewGuid().ToString("N"),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var match = Regex.Match(response.Headers.Location?.ToString() ?? "", "^/Admin/DeploymentPlan/Display/([0-9]+)$");
        Assert.True(match.Success, $"Creating a plan redirected to {response.Headers.Location}.");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static string Hidden(string page, string name)
    {
        var match = Regex.Match(page, $"""<input (?=[^>]*type="hidden")(?=[^>]*name="{name}")[^>]*value="([^"]+)""");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"No hidden field {name} on the page.");
    }
}

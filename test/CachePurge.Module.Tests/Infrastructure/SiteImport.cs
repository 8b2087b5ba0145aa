using System.Net;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Recipes run the way an administrator imports them: Configuration → Import/Export → JSON Import.</summary>
public static class SiteImport
{
    private const string ImportPage = "Admin/DeploymentPlan/Import/Json";

    /// <summary>
    /// Imports <paramref name="recipe"/> (a recipe's JSON, <c>{ "steps": [ … ] }</c>) on the default tenant, as one admin
    /// request: Orchard runs each step in a scope of its own and releases the tenant at the end.
    /// </summary>
    public static async Task ImportAsync(this OrchardSite site, string recipe)
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(ImportPage);

        using var response = await admin.PostAsync(ImportPage, new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            [AdminBrowser.FieldName(page, "Json")] = recipe,
        });

        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || body.Contains("validation-summary-errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Importing the recipe answered {(int)response.StatusCode}: {body}");
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Deployment;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Deployment;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Cloudflare and Fastly configured by a site owner, on the settings page and in a recipe, purging the contract servers
/// of <c>CachePurge.Testing.Cdn</c>, which refuse a wrong token. The token is write-only and protected at rest.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed partial class CdnSettingsTests(OrchardSite site)
{
    private const string SettingsPage = "Admin/Settings/CachePurge";
    private const string OperationsPage = "Admin/CachePurge/Index";

    [Fact]
    public async Task Cloudflare_saved_on_the_settings_page_purges_with_its_token_which_the_page_never_shows_and_an_empty_field_keeps()
    {
        var token = NewToken();
        await using var server = await CloudflareContractServer.StartAsync(token, CloudflareContractLimits.Pro);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Cloudflare, server.BaseUrl, new()
            {
                ["ZoneId"] = server.ZoneId,
                ["ApiToken"] = token,
                ["CloudflarePlan"] = "Pro",
            });

            await AssertStoredProtectedAsync("cloudflare", token);
            var shown = await admin.GetStringAsync(SettingsPage);
            Assert.DoesNotContain(token, shown);
            Assert.Contains("A token is stored, encrypted", shown);

            await site.CreateAsync("Page", "cdn-cloudflare-first", "Cloudflare first");
            await Eventually.WaitUntilAsync(() => server.Purged("files").Contains($"https://{OrchardSite.Host}/cdn-cloudflare-first"), seconds: 20);

            // Saved again as the page shows it: the token field is empty, and the stored token is kept.
            var page = await admin.GetStringAsync(SettingsPage);
            var form = AdminBrowser.FormFields(page, "/" + SettingsPage);
            Assert.Equal("", Assert.Single(form, f => f.Key.EndsWith(".Caches[1].ApiToken", StringComparison.Ordinal)).Value);
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await AssertStoredProtectedAsync("cloudflare", token);
            await site.CreateAsync("Page", "cdn-cloudflare-second", "Cloudflare second");
            await Eventually.WaitUntilAsync(() => server.Purged("files").Contains($"https://{OrchardSite.Host}/cdn-cloudflare-second"), seconds: 20);

            // The server answers a wrong or missing token 403 or 401: every call was made with the token saved first.
            Assert.NotEmpty(server.Calls);
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
        });
    }

    [Fact]
    public async Task Test_on_the_operations_page_checks_the_cloudflare_token_and_zone_without_purging_and_shows_a_wrong_token_refused()
    {
        var token = NewToken();
        await using var server = await CloudflareContractServer.StartAsync(token, CloudflareContractLimits.Pro);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Cloudflare, server.BaseUrl, new()
            {
                ["ZoneId"] = server.ZoneId,
                ["ApiToken"] = token,
            });

            var answer = await PressTestAsync(admin, "cloudflare");
            Assert.Contains("The connection to cloudflare works: token active; zone example.com; purge everything goes by host, not the whole zone.", answer);
            Assert.DoesNotContain("Warning for cloudflare", answer);
            Assert.Equal(["verify", "zone"], server.Calls.Select(c => c.Member));

            // The same cache saved with a token Cloudflare does not know.
            var page = await admin.GetStringAsync(SettingsPage);
            var form = AdminBrowser.FormFields(page, "/" + SettingsPage);
            var tokenField = Assert.Single(form, f => f.Key.EndsWith(".ApiToken", StringComparison.Ordinal) && f.Key.Contains(".Caches[", StringComparison.Ordinal)).Key;
            AdminBrowser.SetField(form, tokenField, "tok-wrong");
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            answer = await PressTestAsync(admin, "cloudflare");
            Assert.Contains("cloudflare refused the credentials: the API token was refused: HTTP 403 Forbidden: 9109 Invalid access token", answer);
            Assert.DoesNotContain("tok-wrong", answer);
            Assert.Empty(server.Purged("files"));
        });
    }

    [Fact]
    public async Task Test_on_the_operations_page_reads_the_fastly_service_by_name_without_purging()
    {
        var key = NewToken();
        await using var server = await FastlyContractServer.StartAsync(key, OrchardSite.Host);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Fastly, server.BaseUrl, new()
            {
                ["ServiceId"] = server.ServiceId,
                ["ApiToken"] = key,
            });

            var answer = await PressTestAsync(admin, "fastly");
            Assert.Contains("The connection to fastly works: key accepted, scope global; service www.example.com.", answer);
            Assert.Equal(["token", "service"], server.Calls.Select(c => c.Member));
        });
    }

    [Fact]
    public async Task Test_on_the_operations_page_warns_apart_that_a_cloudflare_token_may_purge_the_whole_zone_when_the_cache_never_does()
    {
        var token = NewToken();
        await using var server = await CloudflareContractServer.StartAsync(token, CloudflareContractLimits.Pro);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Cloudflare, server.BaseUrl, new()
            {
                ["ZoneId"] = server.ZoneId,
                ["ApiToken"] = token,
                ["NeverPurgeEverything"] = "true",
            });

            var answer = await PressTestAsync(admin, "cloudflare");
            Assert.Contains("The connection to cloudflare works: token active; zone example.com.", answer);

            // A notification of its own, in the warning colour, not a clause of the success.
            var warning = Regex.Match(answer, "class=\"[^\"]*message-warning[^\"]*\".*?<div class=\"toast-body\">(.*?)</div>", RegexOptions.Singleline);
            Assert.True(warning.Success, "no warning notification on the page");
            Assert.Equal("Warning for cloudflare: this token may also purge the whole zone; CachePurge never will, as set.", warning.Groups[1].Value.Trim());
            Assert.Equal(["verify", "zone"], server.Calls.Select(c => c.Member));
        });
    }

    [Fact]
    public async Task Operations_page_shows_the_rate_budget_and_calls_in_flight_of_a_cloudflare_cache()
    {
        var token = NewToken();
        await using var server = await CloudflareContractServer.StartAsync(token, CloudflareContractLimits.Pro);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Cloudflare, server.BaseUrl, new()
            {
                ["ZoneId"] = server.ZoneId,
                ["ApiToken"] = token,
                ["CloudflarePlan"] = "Pro",
            });

            // Pro's buckets, half of each burst kept for the account's other users: 1,500 URLs and 25 tag calls.
            var page = WebUtility.HtmlDecode(await admin.GetStringAsync(OperationsPage));
            var line = Regex.Match(page, "<dd [^>]*data-rate-budget=\"cloudflare\"[^>]*>(.*?)</dd>", RegexOptions.Singleline);
            Assert.True(line.Success, "no rate budget for the cloudflare cache");
            Assert.Matches(@"^cloudflare-urls \d+ of 750 left, cloudflare-bulk \d+ of 12 left(?: \(waited \d+\.\d s\))?; \d+ calls? in flight$", line.Groups[1].Value.Trim());
            Assert.Contains(">Rate budget</dt>", page);
        });
    }

    [Fact]
    public async Task Cloudflare_without_a_zone_id_is_refused_naming_the_field_and_saves_nothing()
    {
        var before = JsonSerializer.Serialize(await site.GetSettingsAsync());
        var token = NewToken();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, CacheKind.Cloudflare, new Uri("http://127.0.0.1:1/"), new()
        {
            ["ZoneId"] = "",
            ["ApiToken"] = token,
        }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[1].ZoneId: the zone id is 32 hexadecimal characters", body);
        Assert.DoesNotContain(token, body);
        Assert.DoesNotContain("A token is stored", body);
        Assert.Equal(before, JsonSerializer.Serialize(await site.GetSettingsAsync()));
    }

    [Fact]
    public async Task Fastly_saved_on_the_settings_page_soft_purges_with_its_key_which_the_page_never_shows_and_an_empty_field_keeps()
    {
        var key = NewToken();
        await using var server = await FastlyContractServer.StartAsync(key, OrchardSite.Host);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Fastly, server.BaseUrl, new()
            {
                ["ServiceId"] = server.ServiceId,
                ["ApiToken"] = key,
                ["SoftPurge"] = "true",
            });

            await AssertStoredProtectedAsync("fastly", key);
            Assert.DoesNotContain(key, await admin.GetStringAsync(SettingsPage));

            await site.CreateAsync("Page", "cdn-fastly-first", "Fastly first");
            Assert.Contains(server.Calls, call => call is { Member: "url", Soft: true } && call.Items.Contains($"{OrchardSite.Host}/cdn-fastly-first"));

            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            Assert.Equal("", Assert.Single(form, f => f.Key.EndsWith(".Caches[1].ApiToken", StringComparison.Ordinal)).Value);
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await AssertStoredProtectedAsync("fastly", key);
            await site.CreateAsync("Page", "cdn-fastly-second", "Fastly second");
            Assert.Contains(server.Calls, call => call is { Member: "url", Soft: true } && call.Items.Contains($"{OrchardSite.Host}/cdn-fastly-second"));
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
        });
    }

    [Fact]
    public async Task Fastly_without_a_key_is_refused_naming_the_field_and_saves_nothing()
    {
        var before = JsonSerializer.Serialize(await site.GetSettingsAsync());
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, CacheKind.Fastly, new Uri("http://127.0.0.1:1/"), new()
        {
            ["ServiceId"] = "SU1Z0isxPaozGVKXdv0eY",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[1].ApiToken: an API token with the purge_select scope is required.", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, JsonSerializer.Serialize(await site.GetSettingsAsync()));
    }

    [Fact]
    public async Task Cloudflare_from_a_recipe_purges_with_its_token_stored_protected_and_an_export_without_the_token_imports_keeping_it()
    {
        var before = await site.GetSettingsAsync();
        var token = NewToken();
        await using var server = await CloudflareContractServer.StartAsync(token, CloudflareContractLimits.Pro);

        try
        {
            var step = JsonSerializer.SerializeToNode(before)!.AsObject();
            step.Insert(0, "name", "CachePurgeSettings");
            step["Caches"]!.AsArray().Add(JsonNode.Parse($$"""
                { "Name": "cloudflare", "Kind": "Cloudflare", "BaseUrl": "{{server.BaseUrl}}", "ZoneId": "{{server.ZoneId}}", "ApiToken": "{{token}}", "CloudflarePlan": "Pro" }
                """));
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(step) }.ToJsonString());

            await AssertStoredProtectedAsync("cloudflare", token);
            await site.CreateAsync("Page", "cdn-recipe-first", "Recipe first");
            await Eventually.WaitUntilAsync(() => server.Purged("files").Contains($"https://{OrchardSite.Host}/cdn-recipe-first"), seconds: 20);

            // The export leaves the token out, even when secrets are asked for; imported on the same site, it keeps it.
            var exported = await ExportAsync();
            Assert.DoesNotContain(token, exported.ToJsonString());
            Assert.Equal("", exported["Caches"]![1]!["ApiToken"]!.GetValue<string>());
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(exported) }.ToJsonString());

            await AssertStoredProtectedAsync("cloudflare", token);
            await site.CreateAsync("Page", "cdn-recipe-second", "Recipe second");
            await Eventually.WaitUntilAsync(() => server.Purged("files").Contains($"https://{OrchardSite.Host}/cdn-recipe-second"), seconds: 20);
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    /// <summary>Presses the cache's Test button on the operations page and returns the page it answers.</summary>
    private static async Task<string> PressTestAsync(AdminBrowser admin, string cache)
    {
        var operations = await admin.GetStringAsync(OperationsPage);
        using var response = await admin.PostAsync("Admin/CachePurge/Test", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(operations),
            ["cache"] = cache,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static string NewToken() => "tok-" + Guid.NewGuid().ToString("N");

    /// <summary>Runs <paramref name="test"/> signed in as the admin, then puts the site's purge settings back as they were.</summary>
    private async Task AsAdminAsync(Func<AdminBrowser, Task> test)
    {
        var before = await site.GetSettingsAsync();
        try
        {
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            await test(admin);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    /// <summary>
    /// The settings form as a browser posts it after the site owner picked <paramref name="kind"/> for the empty last
    /// cache: the fields of the row's former kind replaced by those of the kind's template (as the page's script does),
    /// then the name, the URL and <paramref name="values"/> filled in.
    /// </summary>
    /// <summary>Adds a cache of <paramref name="kind"/> on the settings page, as an administrator does, and checks it was saved.</summary>
    private async Task SaveNewCacheAsync(AdminBrowser admin, CacheKind kind, Uri baseUrl, Dictionary<string, string> values)
    {
        using var saved = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, kind, baseUrl, values));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    private async Task<List<KeyValuePair<string, string>>> NewCacheFormAsync(AdminBrowser admin, CacheKind kind, Uri baseUrl, Dictionary<string, string> values)
    {
        var page = await admin.GetStringAsync(SettingsPage);
        var fields = AdminBrowser.FormFields(page, "/" + SettingsPage);
        var row = fields.Count(f => NameField().IsMatch(f.Key)) - 1;
        var rowPrefix = $".Caches[{row}].";
        var former = TemplateFields(page, CacheKind.Varnish, row).Select(f => f.Key).ToHashSet();
        fields.RemoveAll(f => former.Contains(f.Key));
        fields.AddRange(TemplateFields(page, kind, row));

        AdminBrowser.SetField(fields, rowPrefix + "Name", kind.ToString().ToLowerInvariant());
        AdminBrowser.SetField(fields, rowPrefix + "BaseUrl", baseUrl.ToString().TrimEnd('/'));
        AdminBrowser.SetField(fields, rowPrefix + "Kind", kind.ToString());
        foreach (var (name, value) in values)
        {
            if (fields.Exists(f => f.Key.EndsWith(rowPrefix + name, StringComparison.Ordinal)))
            {
                AdminBrowser.SetField(fields, rowPrefix + name, value);
            }
            else
            {
                // A checkbox the template leaves unchecked, as the site owner checks it.
                var nameKey = fields.Single(f => f.Key.EndsWith(rowPrefix + "Name", StringComparison.Ordinal)).Key;
                fields.Add(new(nameKey[..^"Name".Length] + name, value));
            }
        }

        return fields;
    }

    /// <summary>What the page's template of <paramref name="kind"/> adds to the form for cache <paramref name="row"/>.</summary>
    private static List<KeyValuePair<string, string>> TemplateFields(string page, CacheKind kind, int row)
    {
        var template = Regex.Match(page, $"<template id=\"cachepurge-kind-{kind}\">(.*?)</template>", RegexOptions.Singleline).Groups[1].Value;
        return AdminBrowser.FormFields($"action=\"template\">{template.Replace("__index__", row.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}</form>", "template");
    }

    /// <summary>The cache <paramref name="name"/> is stored with its token protected, which reads back as <paramref name="token"/>.</summary>
    private Task AssertStoredProtectedAsync(string name, string token) => site.InTenantAsync(async services =>
    {
        var settingsService = services.GetRequiredService<CachePurgeSettingsService>();
        var (settings, _) = await settingsService.GetSettingsAsync();
        var stored = Assert.Single(settings.Caches, c => c.Name == name).ApiToken;
        Assert.DoesNotContain(token, stored);
        Assert.Equal(token, settingsService.UnprotectSecret(stored));
    });

    /// <summary>The CachePurgeSettings step a deployment plan exports, secrets asked for.</summary>
    private async Task<JsonObject> ExportAsync()
    {
        await site.EnableFeaturesAsync("OrchardCore.Deployment");
        JsonObject exported = null;
        await site.InTenantAsync(async services =>
        {
            var result = new DeploymentPlanResult(new NullFileBuilder(), new OrchardCore.Recipes.Models.RecipeDescriptor());
            foreach (var source in services.GetServices<IDeploymentSource>())
            {
                await source.ProcessDeploymentStepAsync(new CachePurgeSettingsDeploymentStep { IncludeSecrets = true }, result);
            }

            exported = Assert.Single(result.Steps);
        });
        return exported;
    }

    [GeneratedRegex(@"\.Caches\[\d+\]\.Name$")]
    private static partial Regex NameField();
}

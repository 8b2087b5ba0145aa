using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Core;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.Html.Models;
using OrchardCore.Html.Settings;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Bunny configured by a site owner on the settings page and in a recipe, purging the Bunny contract server, which
/// refuses a wrong key; and the tag header each configured kind of cache reads, all on one page.
/// </summary>
public sealed partial class CdnSettingsTests
{
    [Fact]
    public async Task Bunny_saved_on_the_settings_page_purges_each_page_as_its_url_with_its_key_which_the_page_never_shows_and_an_empty_field_keeps()
    {
        var key = NewToken();
        await using var server = await BunnyContractServer.StartAsync(key, BunnyContractLimits.Documented, OrchardSite.Host);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Bunny, server.BaseUrl, new()
            {
                ["PullZoneId"] = server.PullZoneId,
                ["ApiToken"] = key,
            });

            await AssertStoredProtectedAsync("bunny", key);
            var shown = await admin.GetStringAsync(SettingsPage);
            Assert.DoesNotContain(key, shown);
            Assert.Contains("A token is stored, encrypted", shown);

            await site.CreateAsync("Page", "cdn-bunny-first", "Bunny first");
            await Eventually.WaitUntilAsync(() => server.Purged("url").Contains($"https://{OrchardSite.Host}/cdn-bunny-first"), seconds: 20);
            Assert.Contains($"POST /purge?url=https%3A%2F%2F{OrchardSite.Host}%2Fcdn-bunny-first&async=true", server.Targets);

            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            Assert.Equal("", Assert.Single(form, f => f.Key.EndsWith(".Caches[1].ApiToken", StringComparison.Ordinal)).Value);
            Assert.Equal(server.PullZoneId, Assert.Single(form, f => f.Key.EndsWith(".Caches[1].PullZoneId", StringComparison.Ordinal)).Value);
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await AssertStoredProtectedAsync("bunny", key);
            await site.CreateAsync("Page", "cdn-bunny-second", "Bunny second");
            await Eventually.WaitUntilAsync(() => server.Purged("url").Contains($"https://{OrchardSite.Host}/cdn-bunny-second"), seconds: 20);

            // The server answers a wrong or missing key 401: every call was made with the key saved first.
            Assert.All(server.Calls, call => Assert.True((int)call.Status is >= 200 and < 300, $"{call.Member} {string.Join(' ', call.Items)}: {call.Status}"));
        });
    }

    [Fact]
    public async Task Bunny_without_a_pull_zone_id_is_refused_naming_the_field_and_saves_nothing()
    {
        var before = JsonSerializer.Serialize(await site.GetSettingsAsync());
        var key = NewToken();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, CacheKind.Bunny, new Uri("http://127.0.0.1:1/"), new()
        {
            ["PullZoneId"] = "zone-one",
            ["ApiToken"] = key,
        }));

        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[1].PullZoneId: the pull zone id is a number", body);
        Assert.DoesNotContain(key, body);
        Assert.Equal(before, JsonSerializer.Serialize(await site.GetSettingsAsync()));
    }

    [Fact]
    public async Task Test_on_the_operations_page_reads_the_bunny_pull_zone_by_name_without_purging_and_shows_a_wrong_key_refused()
    {
        var key = NewToken();
        await using var server = await BunnyContractServer.StartAsync(key, BunnyContractLimits.Documented, OrchardSite.Host);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Bunny, server.BaseUrl, new()
            {
                ["PullZoneId"] = server.PullZoneId,
                ["ApiToken"] = key,
            });

            var answer = await PressTestAsync(admin, "bunny");
            Assert.Contains("The connection to bunny works: key accepted; pull zone example-zone.", answer);
            Assert.Equal([$"GET /pullzone/{server.PullZoneId}"], server.Targets);

            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            var keyField = Assert.Single(form, f => f.Key.EndsWith(".ApiToken", StringComparison.Ordinal) && f.Key.Contains(".Caches[", StringComparison.Ordinal)).Key;
            AdminBrowser.SetField(form, keyField, "key-wrong");
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            answer = await PressTestAsync(admin, "bunny");
            Assert.Contains("bunny refused the credentials: the API key was refused: HTTP 401 Unauthorized: Authorization has been denied for this request.", answer);
            Assert.DoesNotContain("key-wrong", answer);
            Assert.Empty(server.Purged("url"));
        });
    }

    [Fact]
    public async Task Bunny_from_a_recipe_purges_with_its_key_stored_protected_and_an_export_leaves_the_key_out()
    {
        var before = await site.GetSettingsAsync();
        var key = NewToken();
        await using var server = await BunnyContractServer.StartAsync(key, BunnyContractLimits.Documented, OrchardSite.Host);

        try
        {
            await ImportWithCachesAsync(before, JsonNode.Parse($$"""
                { "Name": "bunny", "Kind": "Bunny", "BaseUrl": "{{server.BaseUrl}}", "PullZoneId": "{{server.PullZoneId}}", "ApiToken": "{{key}}", "Schemes": [ "https", "http" ] }
                """)!);

            await AssertStoredProtectedAsync("bunny", key);
            await site.CreateAsync("Page", "cdn-bunny-recipe", "Bunny recipe");
            await Eventually.WaitUntilAsync(
                () => server.Purged("url").Contains($"https://{OrchardSite.Host}/cdn-bunny-recipe") && server.Purged("url").Contains($"http://{OrchardSite.Host}/cdn-bunny-recipe"),
                seconds: 20);

            var exported = await ExportAsync();
            Assert.DoesNotContain(key, exported.ToJsonString());
            Assert.Equal("", exported["Caches"]![1]!["ApiToken"]!.GetValue<string>());
            Assert.Equal(server.PullZoneId, exported["Caches"]![1]!["PullZoneId"]!.GetValue<string>());
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    [Fact]
    public async Task A_page_carries_the_tag_header_each_configured_cache_reads_in_its_format_and_one_too_long_for_bunny_falls_back_to_the_site_tag()
    {
        var before = await site.GetSettingsAsync();
        await using var cloudflare = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        await using var fastly = await FastlyContractServer.StartAsync(NewToken(), OrchardSite.Host);
        await using var bunny = await BunnyContractServer.StartAsync(NewToken(), BunnyContractLimits.Documented, OrchardSite.Host);

        try
        {
            // Pages whose body shows other items, created while Varnish is the only cache.
            await site.InTenantAsync(services => services.GetRequiredService<IContentDefinitionManager>().AlterTypeDefinitionAsync("Page", type => type
                .WithPart("HtmlBodyPart", part => part.WithSettings(new HtmlBodyPartSettings { SanitizeHtml = false, RenderLiquid = true }))));
            var shown = await site.CreateAsync("Page", "four-tags-shown", "Shown on the four-tag page");
            var few = await site.CreateAsync("Page", "four-tags", "Four tags", item => item.Alter<HtmlBodyPart>(p => p.Html = Show(shown)));
            List<string> many = [];
            for (var i = 0; i < 30; i++)
            {
                many.Add(await site.CreateAsync("Page", $"four-tags-item-{i}", $"Four tags item {i}"));
            }

            await site.CreateAsync("Page", "four-tags-crowded", "Four tags crowded", item => item.Alter<HtmlBodyPart>(p => p.Html = string.Concat(many.Select(Show))));

            await ImportWithCachesAsync(
                before,
                JsonNode.Parse($$"""{ "Name": "cloudflare", "Kind": "Cloudflare", "BaseUrl": "{{cloudflare.BaseUrl}}", "ZoneId": "{{cloudflare.ZoneId}}", "ApiToken": "{{cloudflare.Token}}", "CloudflarePlan": "Pro" }""")!,
                JsonNode.Parse($$"""{ "Name": "fastly", "Kind": "Fastly", "BaseUrl": "{{fastly.BaseUrl}}", "ServiceId": "{{fastly.ServiceId}}", "ApiToken": "{{fastly.Key}}" }""")!,
                JsonNode.Parse($$"""{ "Name": "bunny", "Kind": "Bunny", "BaseUrl": "{{bunny.BaseUrl}}", "PullZoneId": "{{bunny.PullZoneId}}", "ApiToken": "{{bunny.Key}}" }""")!);

            var headers = await GetTagHeadersAtOriginAsync("/four-tags");
            string[] tags = ["site-Default", $"ci-Default-{few}", $"ci-Default-{shown}"];
            Assert.All(tags, tag => Assert.Contains(tag, headers["xkey"].Split(' ')));
            Assert.Equal(headers["xkey"], headers["Surrogate-Key"]);
            Assert.Equal(headers["xkey"].Replace(' ', ','), headers["Cache-Tag"]);
            Assert.Equal(headers["xkey"].Replace(' ', ','), headers["CDN-Tag"]);

            // Thirty items' tags pass Bunny's 1,024 bytes: its header carries the site tag alone, the others every tag.
            var crowdedHeaders = await GetTagHeadersAtOriginAsync("/four-tags-crowded");
            Assert.Equal("site-Default", crowdedHeaders["CDN-Tag"]);
            Assert.All(many, id => Assert.Contains($"ci-Default-{id}", crowdedHeaders["Cache-Tag"].Split(',')));
            Assert.All(many, id => Assert.Contains($"ci-Default-{id}", crowdedHeaders["Surrogate-Key"].Split(' ')));
            Assert.All(many, id => Assert.Contains($"ci-Default-{id}", crowdedHeaders["xkey"].Split(' ')));

            // Publishing an item it shows purges that item's tag on every cache, each in its own call.
            await site.PublishEditAsync(many[0], item => item.DisplayText = "Four tags item 0 again");
            var tag = $"ci-Default-{many[0]}";
            await Eventually.WaitUntilAsync(() => bunny.Purged("tag").Contains(tag) && fastly.Purged("keys").Contains(tag) && cloudflare.Purged("tags").Contains(tag), seconds: 20);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    private static string Show(string id) => $"{{{{ \"{id}\" | content_item_id | shape_build_display: \"Summary\" | shape_render }}}}";

    /// <summary>The settings as they are, with <paramref name="caches"/> added, imported as a recipe step (tokens in plain text).</summary>
    private Task ImportWithCachesAsync(Models.CachePurgeSettings current, params JsonNode[] caches)
    {
        var step = JsonSerializer.SerializeToNode(current)!.AsObject();
        step.Insert(0, "name", "CachePurgeSettings");
        foreach (var cache in caches)
        {
            step["Caches"]!.AsArray().Add(cache);
        }

        return site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(step) }.ToJsonString());
    }

    /// <summary>The tag headers of a page asked of the site itself, past Varnish.</summary>
    private async Task<Dictionary<string, string>> GetTagHeadersAtOriginAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = site.BaseUrl };
        using var response = await client.GetAsync(path.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new[] { "xkey", "Surrogate-Key", "Cache-Tag", "CDN-Tag" }
            .ToDictionary(h => h, h => response.Headers.TryGetValues(h, out var values) ? string.Join(' ', values) : "", StringComparer.OrdinalIgnoreCase);
    }
}

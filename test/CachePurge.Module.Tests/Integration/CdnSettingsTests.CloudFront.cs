using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Core;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Amazon CloudFront configured by a site owner, invalidating through the CloudFront contract server, which verifies
/// every SigV4 signature: the secret access key is write-only and protected at rest, and never exported.
/// </summary>
public sealed partial class CdnSettingsTests
{
    [Fact]
    public async Task CloudFront_saved_on_the_settings_page_invalidates_with_its_secret_which_the_page_never_shows_and_an_empty_field_keeps()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(100));

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.CloudFront, server.BaseUrl, new()
            {
                ["DistributionId"] = server.DistributionId,
                ["AccessKeyId"] = server.AccessKeyId,
                ["ApiToken"] = server.SecretAccessKey,
            });

            await AssertStoredProtectedAsync("cloudfront", server.SecretAccessKey);
            var shown = await admin.GetStringAsync(SettingsPage);
            Assert.DoesNotContain(server.SecretAccessKey, shown);
            Assert.Contains("A token is stored, encrypted", shown);
            Assert.Contains(server.AccessKeyId, shown);

            // A page is invalidated once, by its path, whatever the site's hosts: CloudFront invalidates the distribution.
            await site.CreateAsync("Page", "cdn-cloudfront-first", "CloudFront first");
            await Eventually.WaitUntilAsync(() => server.Purged("invalidation").Contains("/cdn-cloudfront-first"), seconds: 20);
            Assert.All(server.Purged("invalidation"), path => Assert.StartsWith("/", path, StringComparison.Ordinal));

            // Saved again as the page shows it: the secret field is empty, and the stored secret is kept.
            var page = await admin.GetStringAsync(SettingsPage);
            var form = AdminBrowser.FormFields(page, "/" + SettingsPage);
            Assert.Equal("", Assert.Single(form, f => f.Key.EndsWith(".Caches[1].ApiToken", StringComparison.Ordinal)).Value);
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await AssertStoredProtectedAsync("cloudfront", server.SecretAccessKey);
            await site.CreateAsync("Page", "cdn-cloudfront-second", "CloudFront second");
            await Eventually.WaitUntilAsync(() => server.Purged("invalidation").Contains("/cdn-cloudfront-second"), seconds: 20);

            // The server answers a wrong or missing signature 403: every call was signed with the secret saved first.
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Created, call.Status));
        });
    }

    [Fact]
    public async Task Test_on_the_operations_page_reads_the_cloudfront_distribution_and_shows_a_wrong_secret_refused_and_the_months_paths()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(100));

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.CloudFront, server.BaseUrl, new()
            {
                ["DistributionId"] = server.DistributionId,
                ["AccessKeyId"] = server.AccessKeyId,
                ["ApiToken"] = server.SecretAccessKey,
                ["MonthlyPathBudget"] = "500",
            });

            var answer = await PressTestAsync(admin, "cloudfront");
            Assert.Contains($"The connection to cloudfront works: key accepted; distribution {server.DistributionId} serves {server.DomainName} (Deployed, 0 invalidations in progress).", answer);
            Assert.Equal(["distribution"], server.Calls.Select(c => c.Member));

            var operations = WebUtility.HtmlDecode(await admin.GetStringAsync(OperationsPage));
            Assert.Matches(@"\d+ invalidation paths sent in \d{4}-\d{2}, of a monthly budget of 500\.", operations);

            // The same cache saved with a secret that is not the key's.
            var page = await admin.GetStringAsync(SettingsPage);
            var form = AdminBrowser.FormFields(page, "/" + SettingsPage);
            var secretField = Assert.Single(form, f => f.Key.EndsWith(".ApiToken", StringComparison.Ordinal) && f.Key.Contains(".Caches[", StringComparison.Ordinal)).Key;
            AdminBrowser.SetField(form, secretField, "wrong-" + server.SecretAccessKey);
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            answer = await PressTestAsync(admin, "cloudfront");
            Assert.Contains("cloudfront refused the credentials: the access key was refused: HTTP 403 Forbidden: SignatureDoesNotMatch: The request signature we calculated does not match", answer);
            Assert.DoesNotContain(server.SecretAccessKey, answer);
            Assert.Empty(server.Invalidations);
        });
    }

    [Fact]
    public async Task CloudFront_without_a_distribution_id_is_refused_naming_the_field_and_saves_nothing()
    {
        var before = JsonSerializer.Serialize(await site.GetSettingsAsync());
        var secret = NewToken();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, CacheKind.CloudFront, new Uri("http://127.0.0.1:1/"), new()
        {
            ["DistributionId"] = "",
            ["AccessKeyId"] = "AKIAIOSFODNN7EXAMPLE",
            ["ApiToken"] = secret,
        }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[1].DistributionId: the distribution id is capital letters and digits", body);
        Assert.DoesNotContain(secret, body);
        Assert.Equal(before, JsonSerializer.Serialize(await site.GetSettingsAsync()));
    }

    [Fact]
    public async Task CloudFront_from_a_recipe_invalidates_with_its_secret_stored_protected_and_an_export_leaves_the_secret_out()
    {
        var before = await site.GetSettingsAsync();
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(100));

        try
        {
            var step = JsonSerializer.SerializeToNode(before)!.AsObject();
            step.Insert(0, "name", "CachePurgeSettings");
            step["Caches"]!.AsArray().Add(JsonNode.Parse($$"""
                { "Name": "cloudfront", "Kind": "CloudFront", "BaseUrl": "{{server.BaseUrl}}", "DistributionId": "{{server.DistributionId}}", "AccessKeyId": "{{server.AccessKeyId}}", "ApiToken": "{{server.SecretAccessKey}}", "ItemsPerCall": 3000 }
                """));
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(step) }.ToJsonString());

            await AssertStoredProtectedAsync("cloudfront", server.SecretAccessKey);
            await site.CreateAsync("Page", "cdn-cloudfront-recipe", "CloudFront recipe");
            await Eventually.WaitUntilAsync(() => server.Purged("invalidation").Contains("/cdn-cloudfront-recipe"), seconds: 20);

            var exported = await ExportAsync();
            Assert.DoesNotContain(server.SecretAccessKey, exported.ToJsonString());
            Assert.Equal("", exported["Caches"]![1]!["ApiToken"]!.GetValue<string>());
            Assert.Equal(server.AccessKeyId, exported["Caches"]![1]!["AccessKeyId"]!.GetValue<string>());
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Created, call.Status));
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Core;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Akamai configured by a site owner, on the settings page and in a recipe, purging the Akamai contract server, which
/// checks every EdgeGrid signature. Its client token, access token and client secret are write-only and protected.
/// </summary>
public sealed partial class CdnSettingsTests
{
    [Fact]
    public async Task Akamai_saved_on_the_settings_page_purges_signed_with_its_secrets_which_the_page_never_shows_and_empty_fields_keep()
    {
        await using var server = await AkamaiContractServer.StartAsync(cpCodes: [12345]);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Akamai, server.BaseUrl, new()
            {
                ["ClientToken"] = server.ClientToken,
                ["AccessToken"] = server.AccessToken,
                ["ApiToken"] = server.ClientSecret,
                ["CpCodes"] = "12345",
            });

            await AssertAkamaiSecretsStoredProtectedAsync(server);
            var shown = await admin.GetStringAsync(SettingsPage);
            Assert.DoesNotContain(server.ClientToken, shown);
            Assert.DoesNotContain(server.AccessToken, shown);
            Assert.DoesNotContain(server.ClientSecret, shown);
            Assert.Contains("One is stored, encrypted", shown);

            await site.CreateAsync("Page", "cdn-akamai-first", "Akamai first");
            await Eventually.WaitUntilAsync(() => server.Purged("url").Contains($"https://{OrchardSite.Host}/cdn-akamai-first"), seconds: 20);
            Assert.Contains("/ccu/v3/invalidate/url/production", server.PurgePaths);

            // Saved again as the page shows it: the three secret fields are empty, and the stored secrets are kept.
            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            foreach (var secret in new[] { "ClientToken", "AccessToken", "ApiToken" })
            {
                Assert.Equal("", Assert.Single(form, f => f.Key.EndsWith($".Caches[1].{secret}", StringComparison.Ordinal)).Value);
            }

            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await AssertAkamaiSecretsStoredProtectedAsync(server);
            await site.CreateAsync("Page", "cdn-akamai-second", "Akamai second");
            await Eventually.WaitUntilAsync(() => server.Purged("url").Contains($"https://{OrchardSite.Host}/cdn-akamai-second"), seconds: 20);

            // The server answers a bad signature 401: every call was signed with the secrets saved first.
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Created, call.Status));
        });
    }

    [Fact]
    public async Task Test_on_the_operations_page_reads_akamais_rate_limit_status_without_purging_and_shows_a_wrong_secret_refused()
    {
        await using var server = await AkamaiContractServer.StartAsync();

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.Akamai, server.BaseUrl, new()
            {
                ["ClientToken"] = server.ClientToken,
                ["AccessToken"] = server.AccessToken,
                ["ApiToken"] = server.ClientSecret,
            });

            var answer = await PressTestAsync(admin, "akamai");
            Assert.Contains("The connection to akamai works: credentials accepted; 10000 of 10000 URL purges left.", answer);
            Assert.Equal(["rate-limit-status"], server.Calls.Select(c => c.Member));

            // The same cache saved with a client secret that signs differently.
            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            AdminBrowser.SetField(form, Assert.Single(form, f => f.Key.EndsWith(".Caches[1].ApiToken", StringComparison.Ordinal)).Key, "wrong-secret");
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            answer = await PressTestAsync(admin, "akamai");
            Assert.Contains("akamai refused the credentials: the EdgeGrid credentials were refused: HTTP 401 Unauthorized: Not authorized (The signature does not match)", answer);
            Assert.DoesNotContain("wrong-secret", answer);
            Assert.Empty(server.PurgePaths);
        });
    }

    [Fact]
    public async Task Akamai_without_a_client_token_is_refused_naming_the_field_and_saves_nothing()
    {
        var before = JsonSerializer.Serialize(await site.GetSettingsAsync());
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, CacheKind.Akamai, new Uri("http://127.0.0.1:1/"), new()
        {
            ["AccessToken"] = "akab-access-typed",
            ["ApiToken"] = "secret-typed",
        }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[1].ClientToken: the client token (client_token) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.", body);
        Assert.DoesNotContain("akab-access-typed", body);
        Assert.DoesNotContain("secret-typed", body);
        Assert.Equal(before, JsonSerializer.Serialize(await site.GetSettingsAsync()));
    }

    [Fact]
    public async Task Akamai_from_a_recipe_purges_its_cp_codes_and_an_export_without_the_secrets_imports_keeping_them()
    {
        var before = await site.GetSettingsAsync();
        await using var server = await AkamaiContractServer.StartAsync(cpCodes: [12345, 98765]);

        try
        {
            var step = JsonSerializer.SerializeToNode(before)!.AsObject();
            step.Insert(0, "name", "CachePurgeSettings");
            step["Caches"]!.AsArray().Add(JsonNode.Parse($$"""
                { "Name": "akamai", "Kind": "Akamai", "BaseUrl": "{{server.BaseUrl}}", "ClientToken": "{{server.ClientToken}}", "AccessToken": "{{server.AccessToken}}",
                  "ApiToken": "{{server.ClientSecret}}", "AkamaiNetwork": "Staging", "CpCodes": [ 12345, 98765 ] }
                """));
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(step) }.ToJsonString());

            await AssertAkamaiSecretsStoredProtectedAsync(server);
            await site.CreateAsync("Page", "cdn-akamai-recipe", "Akamai recipe");
            await Eventually.WaitUntilAsync(() => server.Purged("url").Contains($"https://{OrchardSite.Host}/cdn-akamai-recipe"), seconds: 20);
            Assert.Contains("/ccu/v3/invalidate/url/staging", server.PurgePaths);

            // The export leaves the three secrets out, even when secrets are asked for; imported on the same site, it keeps them.
            var exported = await ExportAsync();
            var json = exported.ToJsonString();
            Assert.DoesNotContain(server.ClientToken, json);
            Assert.DoesNotContain(server.AccessToken, json);
            Assert.DoesNotContain(server.ClientSecret, json);
            var cache = exported["Caches"]![1]!;
            Assert.Equal(("", "", ""), (cache["ClientToken"]!.GetValue<string>(), cache["AccessToken"]!.GetValue<string>(), cache["ApiToken"]!.GetValue<string>()));
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(exported) }.ToJsonString());

            await AssertAkamaiSecretsStoredProtectedAsync(server);
            await site.InTenantAsync(async services => Assert.Equal(
                PurgeEverythingMethod.Everything,
                (await services.GetRequiredService<CachePurgeSettingsService>().GetOptionsAsync()).Endpoints.Single(e => e.Name == "akamai").HowToPurgeEverything(pagesCarrySiteTag: false)));
            Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Created, call.Status));
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    /// <summary>The Akamai cache is stored with its three secrets protected, which read back as the server's.</summary>
    private Task AssertAkamaiSecretsStoredProtectedAsync(AkamaiContractServer server) => site.InTenantAsync(async services =>
    {
        var settingsService = services.GetRequiredService<CachePurgeSettingsService>();
        var (settings, _) = await settingsService.GetSettingsAsync();
        var stored = Assert.Single(settings.Caches, c => c.Name == "akamai");
        Assert.DoesNotContain(server.ClientToken, stored.ClientToken);
        Assert.DoesNotContain(server.AccessToken, stored.AccessToken);
        Assert.DoesNotContain(server.ClientSecret, stored.ApiToken);
        Assert.Equal(server.ClientToken, settingsService.UnprotectSecret(stored.ClientToken));
        Assert.Equal(server.AccessToken, settingsService.UnprotectSecret(stored.AccessToken));
        Assert.Equal(server.ClientSecret, settingsService.UnprotectSecret(stored.ApiToken));
    });
}

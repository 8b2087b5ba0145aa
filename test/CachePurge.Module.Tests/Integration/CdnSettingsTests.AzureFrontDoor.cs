using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Core;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Azure Front Door configured by a site owner, purging the contract server, which signs the site in as Entra ID does
/// (on https with the tests' certificate, which the site trusts) and completes each purge after a delay.
/// </summary>
public sealed partial class CdnSettingsTests
{
    [Fact]
    public async Task Azure_front_door_saved_on_the_settings_page_purges_with_its_secret_which_the_page_never_shows_and_the_completion_shows_on_the_operations_page()
    {
        var secret = NewToken();
        await using var server = await AzureFrontDoorContractServer.StartAsync(secret, [OrchardSite.Host], AzureFrontDoorContractLimits.Documented with { CompletionDelay = TimeSpan.FromSeconds(1.5) });

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.AzureFrontDoor, server.BaseUrl, FrontDoorFields(server, secret));

            await AssertStoredProtectedAsync("azurefrontdoor", secret);
            var shown = await admin.GetStringAsync(SettingsPage);
            Assert.DoesNotContain(secret, shown);
            Assert.Contains("A token is stored, encrypted", shown);
            Assert.Contains(server.Profile, shown);

            await site.CreateAsync("Page", "cdn-afd-first", "Front Door first");
            await Eventually.WaitUntilAsync(() => server.Purged("contentPaths").Contains("/cdn-afd-first"), seconds: 20);
            Assert.Contains(server.Accepted, a => a.Paths.Contains("/cdn-afd-first") && a.Domains.SequenceEqual([OrchardSite.Host]));

            // The purge was acknowledged on 202; the operations page shows it done once the operation says so.
            string operations = null;
            await Eventually.WaitUntilAsync(async () => (operations = await admin.GetStringAsync(OperationsPage)).Contains("data-completion-done=", StringComparison.Ordinal), seconds: 20, "a completed Front Door purge on the operations page");
            Assert.Contains("data-completions=\"azurefrontdoor\"", operations);
            Assert.Contains("completed", operations);

            // Saved again as the page shows it: the secret field is empty, and the stored secret is kept.
            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            Assert.Equal("", Assert.Single(form, f => f.Key.EndsWith(".Caches[1].ApiToken", StringComparison.Ordinal)).Value);
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            await AssertStoredProtectedAsync("azurefrontdoor", secret);
            await site.CreateAsync("Page", "cdn-afd-second", "Front Door second");
            await Eventually.WaitUntilAsync(() => server.Purged("contentPaths").Contains("/cdn-afd-second"), seconds: 20);

            // The server answers a token it did not issue 401, and a wrong secret 401 invalid_client.
            Assert.NotEmpty(server.Calls);
            Assert.All(server.Calls, call => Assert.True(call.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{call.Member}: {call.Status}"));
        });
    }

    [Fact]
    public async Task Test_on_the_operations_page_reads_the_front_door_endpoint_and_shows_a_wrong_secret_refused()
    {
        var secret = NewToken();
        await using var server = await AzureFrontDoorContractServer.StartAsync(secret, [OrchardSite.Host]);

        await AsAdminAsync(async admin =>
        {
            await SaveNewCacheAsync(admin, CacheKind.AzureFrontDoor, server.BaseUrl, FrontDoorFields(server, secret));

            var answer = await PressTestAsync(admin, "azurefrontdoor");
            Assert.Contains($"The connection to azurefrontdoor works: token issued; endpoint {server.Endpoint} ({server.HostName}).", answer);
            Assert.Equal(["token", "endpoint"], server.Calls.Select(c => c.Member));

            var form = AdminBrowser.FormFields(await admin.GetStringAsync(SettingsPage), "/" + SettingsPage);
            var secretField = Assert.Single(form, f => f.Key.EndsWith(".ApiToken", StringComparison.Ordinal) && f.Key.Contains(".Caches[", StringComparison.Ordinal)).Key;
            AdminBrowser.SetField(form, secretField, "secret-wrong");
            using (var again = await admin.PostMultipartAsync(SettingsPage, form))
            {
                Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            }

            answer = await PressTestAsync(admin, "azurefrontdoor");
            Assert.Contains($"azurefrontdoor refused the credentials: Entra ID gave no token to ClientSecret {server.ClientId}: AADSTS7000215: Invalid client secret provided.", answer);
            Assert.DoesNotContain("secret-wrong", answer);
            Assert.Empty(server.Purged("contentPaths"));
        });
    }

    [Fact]
    public async Task A_wrong_front_door_secret_shows_entra_ids_error_as_the_caches_last_error_on_the_operations_page()
    {
        var secret = NewToken();
        await using var server = await AzureFrontDoorContractServer.StartAsync(secret, [OrchardSite.Host]);

        await AsAdminAsync(async admin =>
        {
            var fields = FrontDoorFields(server, secret);
            fields["ApiToken"] = "secret-wrong";
            await SaveNewCacheAsync(admin, CacheKind.AzureFrontDoor, server.BaseUrl, fields);

            // Purged from the operations page's form: a publish would wait for purges that never succeed.
            using (var purge = await admin.PostAsync("Admin/CachePurge/Purge", new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AdminBrowser.Token(await admin.GetStringAsync(OperationsPage)),
                ["urls"] = "/cdn-afd-refused",
            }))
            {
                Assert.Equal(HttpStatusCode.Redirect, purge.StatusCode);
            }

            string operations = null;
            await Eventually.WaitUntilAsync(async () => (operations = WebUtility.HtmlDecode(await admin.GetStringAsync(OperationsPage))).Contains("AADSTS7000215", StringComparison.Ordinal), seconds: 20, "Entra ID's refusal on the operations page");

            Assert.Contains($"Entra ID gave no token to ClientSecret {server.ClientId}: AADSTS7000215: Invalid client secret provided.", operations);
            Assert.DoesNotContain("secret-wrong", operations);
            Assert.DoesNotContain(server.Calls, c => c.Member == "contentPaths");
        });
    }

    [Fact]
    public async Task Azure_front_door_without_a_subscription_id_is_refused_naming_the_field_and_saves_nothing()
    {
        var before = JsonSerializer.Serialize(await site.GetSettingsAsync());
        var secret = NewToken();
        await using var server = await AzureFrontDoorContractServer.StartAsync(secret, [OrchardSite.Host]);
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var fields = FrontDoorFields(server, secret);
        fields["AzureSubscriptionId"] = "";

        using var response = await admin.PostMultipartAsync(SettingsPage, await NewCacheFormAsync(admin, CacheKind.AzureFrontDoor, new Uri("http://127.0.0.1:1/"), fields));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[1].AzureSubscriptionId: the subscription id is a GUID", WebUtility.HtmlDecode(body));
        Assert.DoesNotContain(secret, body);
        Assert.Equal(before, JsonSerializer.Serialize(await site.GetSettingsAsync()));
    }

    [Fact]
    public async Task Azure_front_door_from_a_recipe_purges_and_an_export_leaves_the_secret_out_and_imports_keeping_it()
    {
        var before = await site.GetSettingsAsync();
        var secret = NewToken();
        await using var server = await AzureFrontDoorContractServer.StartAsync(secret, [OrchardSite.Host]);

        try
        {
            var step = JsonSerializer.SerializeToNode(before)!.AsObject();
            step.Insert(0, "name", "CachePurgeSettings");
            var cache = new JsonObject { ["Name"] = "afd", ["Kind"] = "AzureFrontDoor", ["BaseUrl"] = server.ResourceManager };
            foreach (var (name, value) in FrontDoorFields(server, secret))
            {
                cache[name] = value;
            }

            step["Caches"]!.AsArray().Add(cache);
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(step) }.ToJsonString());

            await AssertStoredProtectedAsync("afd", secret);
            await site.CreateAsync("Page", "cdn-afd-recipe-first", "Front Door recipe first");
            await Eventually.WaitUntilAsync(() => server.Purged("contentPaths").Contains("/cdn-afd-recipe-first"), seconds: 20);

            var exported = await ExportAsync();
            Assert.DoesNotContain(secret, exported.ToJsonString());
            Assert.Equal("", exported["Caches"]![1]!["ApiToken"]!.GetValue<string>());
            Assert.Equal(server.ClientId, exported["Caches"]![1]!["AzureClientId"]!.GetValue<string>());
            await site.ImportAsync(new JsonObject { ["steps"] = new JsonArray(exported) }.ToJsonString());

            await AssertStoredProtectedAsync("afd", secret);
            await site.CreateAsync("Page", "cdn-afd-recipe-second", "Front Door recipe second");
            await Eventually.WaitUntilAsync(() => server.Purged("contentPaths").Contains("/cdn-afd-recipe-second"), seconds: 20);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    /// <summary>The Front Door fields of a cache that signs in with a client secret at the contract server.</summary>
    private static Dictionary<string, string> FrontDoorFields(AzureFrontDoorContractServer server, string secret) => new()
    {
        ["AzureSubscriptionId"] = server.SubscriptionId,
        ["AzureResourceGroup"] = server.ResourceGroup,
        ["AzureProfile"] = server.Profile,
        ["AzureEndpoint"] = server.Endpoint,
        ["AzureCredential"] = "ClientSecret",
        ["AzureTenantId"] = server.TenantId,
        ["AzureClientId"] = server.ClientId,
        ["ApiToken"] = secret,
        ["AzureAuthorityHost"] = server.ResourceManager,
    };
}

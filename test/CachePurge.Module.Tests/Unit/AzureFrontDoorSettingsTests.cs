using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

/// <summary>Azure Front Door's settings in the recipe step and as the engine reads them.</summary>
public sealed class AzureFrontDoorSettingsTests
{
    private const string Ids = """
        "AzureSubscriptionId": "00000000-0000-0000-0000-000000000001", "AzureResourceGroup": "rg-site", "AzureProfile": "profile-site", "AzureEndpoint": "endpoint-site"
        """;

    private const string ClientSecret = """
        "AzureTenantId": "00000000-0000-0000-0000-000000000002", "AzureClientId": "00000000-0000-0000-0000-000000000003"
        """;

    [Fact]
    public async Task A_front_door_from_a_recipe_is_stored_with_its_settings_and_its_client_secret_protected()
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "afd", "Kind": "AzureFrontDoor", {{Ids}}, {{ClientSecret}}, "ApiToken": "secret-clear", "ItemsPerCall": 50 } ] }
            """);

        Assert.Empty(errors);
        var cache = Assert.Single(stored.Caches);
        Assert.DoesNotContain("secret-clear", cache.ApiToken);
        Assert.NotEmpty(cache.ApiToken);
        Assert.Equal(("00000000-0000-0000-0000-000000000001", "rg-site", "profile-site", "endpoint-site"), (cache.AzureSubscriptionId, cache.AzureResourceGroup, cache.AzureProfile, cache.AzureEndpoint));
        Assert.Equal((AzureCredentialKind.ClientSecret, "00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003", 50), (cache.AzureCredential, cache.AzureTenantId, cache.AzureClientId, cache.ItemsPerCall));
    }

    [Theory]
    [InlineData(""" "AzureResourceGroup": "rg", "AzureProfile": "p", "AzureEndpoint": "e", "AzureCredential": "ManagedIdentity" """, "Caches[0].AzureSubscriptionId: the subscription id is a GUID (Azure portal: the Front Door profile's Overview, Subscription ID).")]
    [InlineData(Ids + """, "AzureTenantId": "00000000-0000-0000-0000-000000000002", "AzureClientId": "00000000-0000-0000-0000-000000000003" """, "Caches[0].ApiToken: the app registration's client secret is required (its Value, not its Secret ID).")]
    [InlineData(Ids + """, "AzureTenantId": "00000000-0000-0000-0000-000000000002", "ApiToken": "s" """, "Caches[0].AzureClientId: the client id is the app registration's Application (client) ID, a GUID.")]
    [InlineData(Ids + """, "AzureCredential": "ManagedIdentity", "AzureAuthorityHost": "http://login.example" """, "Caches[0].AzureAuthorityHost: 'http://login.example' is not an https:// URL (e.g. https://login.microsoftonline.us); empty for the Azure public cloud.")]
    [InlineData(Ids + """, "AzureCredential": "ManagedIdentity", "ItemsPerCall": 500 """, "Caches[0].ItemsPerCall: must be between 1 and 100 content paths.")]
    public async Task A_front_door_missing_a_setting_is_refused_naming_the_field(string fields, string error)
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ { "Name": "afd", "Kind": "AzureFrontDoor", {{fields}} } ] }
            """);

        Assert.Equal(["CachePurgeSettings step, " + error], errors);
        Assert.Null(stored);
    }

    [Fact]
    public async Task A_credential_kind_that_does_not_exist_is_refused_in_words()
    {
        var (errors, _) = await SettingsRecipeStepTests.RunAsync("""{ "Caches": [ { "AzureCredential": "Password" } ] }""");

        Assert.Equal(["CachePurgeSettings step, Caches[0].AzureCredential: must be one of \"ClientSecret\", \"ManagedIdentity\", \"WorkloadIdentity\", not \"Password\"."], errors);
    }

    [Fact]
    public async Task The_engine_gets_the_clear_secret_and_azure_resource_manager_when_the_url_is_empty()
    {
        var siteService = new FakeSiteService();
        var service = TestServices.CreateSettingsService(siteService);
        var settings = new CachePurgeSettings
        {
            Enabled = true,
            SiteHosts = ["www.example.com"],
            Caches =
            [
                new()
                {
                    Name = "afd",
                    Kind = CacheKind.AzureFrontDoor,
                    AzureSubscriptionId = "00000000-0000-0000-0000-000000000001",
                    AzureResourceGroup = "rg-site",
                    AzureProfile = "profile-site",
                    AzureEndpoint = "endpoint-site",
                    AzureTenantId = "00000000-0000-0000-0000-000000000002",
                    AzureClientId = "00000000-0000-0000-0000-000000000003",
                    ApiToken = "secret-clear",
                },
            ],
        };
        service.ProtectSecrets(settings, existing: null);
        siteService.Site.Put(settings);

        var endpoint = Assert.Single((await service.GetOptionsAsync()).Endpoints);

        Assert.Equal("secret-clear", endpoint.ApiToken);
        Assert.Equal("https://management.azure.com", endpoint.BaseUrl);
        Assert.Equal(("rg-site", "profile-site", "endpoint-site"), (endpoint.AzureResourceGroup, endpoint.AzureProfile, endpoint.AzureEndpoint));
        Assert.Empty(CachePurgeOptionsValidator.Validate(await service.GetOptionsAsync()));
    }
}

using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

/// <summary>An Akamai cache's settings: its three EdgeGrid secrets write-only and protected, in a recipe and for the engine.</summary>
public sealed class AkamaiSettingsTests
{
    [Fact]
    public async Task An_akamai_cache_from_a_recipe_is_stored_with_its_three_secrets_protected()
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync("""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "akamai", "Kind": "Akamai", "BaseUrl": "https://akab-host.purge.akamaiapis.net",
                            "ClientToken": "akab-client-clear", "AccessToken": "akab-access-clear", "ApiToken": "secret-clear",
                            "AkamaiNetwork": "Staging", "AkamaiPurgeAction": "Delete", "CpCodes": [ 12345, 98765 ], "Schemes": [ "https", "http" ] } ] }
            """);

        Assert.Empty(errors);
        var cache = Assert.Single(stored.Caches);
        Assert.DoesNotContain("clear", cache.ClientToken + cache.AccessToken + cache.ApiToken);
        Assert.All([cache.ClientToken, cache.AccessToken, cache.ApiToken], Assert.NotEmpty);
        Assert.Equal((AkamaiNetwork.Staging, AkamaiPurgeAction.Delete), (cache.AkamaiNetwork, cache.AkamaiPurgeAction));
        Assert.Equal([12345, 98765], cache.CpCodes);
    }

    [Theory]
    [InlineData(""" "AccessToken": "a", "ApiToken": "s" """, "CachePurgeSettings step, Caches[0].ClientToken: the client token (client_token) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.")]
    [InlineData(""" "ClientToken": "c", "ApiToken": "s" """, "CachePurgeSettings step, Caches[0].AccessToken: the access token (access_token) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.")]
    [InlineData(""" "ClientToken": "c", "AccessToken": "a" """, "CachePurgeSettings step, Caches[0].ApiToken: the client secret (client_secret) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.")]
    [InlineData(""" "ClientToken": "c", "AccessToken": "a", "ApiToken": "s", "CpCodes": [ -1 ] """, "CachePurgeSettings step, Caches[0].CpCodes: list the site's CP codes as positive numbers, once each (Akamai Control Center: the property's CP codes).")]
    public async Task An_akamai_cache_without_a_secret_or_with_a_bad_cp_code_is_refused_naming_the_field(string fields, string error)
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ { "Name": "akamai", "Kind": "Akamai", "BaseUrl": "https://akab-host.purge.akamaiapis.net", {{fields}} } ] }
            """);

        Assert.Equal([error], errors);
        Assert.Null(stored);
    }

    [Theory]
    [InlineData("""{ "Caches": [ { "AkamaiNetwork": "Moon" } ] }""", "Caches[0].AkamaiNetwork: must be one of \"Staging\", \"Production\", not \"Moon\".")]
    [InlineData("""{ "Caches": [ { "AkamaiPurgeAction": "Burn" } ] }""", "Caches[0].AkamaiPurgeAction: must be one of \"Invalidate\", \"Delete\", not \"Burn\".")]
    [InlineData("""{ "Caches": [ { "CpCodes": "12345" } ] }""", "Caches[0].CpCodes: must be a list of whole numbers, such as [ 12345 ], not \"12345\".")]
    [InlineData("""{ "Caches": [ { "ClientToken": 1234 } ] }""", "Caches[0].ClientToken: must be text in quotes.")]
    [InlineData("""{ "Caches": [ { "AccessToken": 1234 } ] }""", "Caches[0].AccessToken: must be text in quotes.")]
    public async Task A_value_of_the_wrong_type_is_refused_in_words_and_a_secret_is_not_quoted(string json, string error)
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync(json);

        Assert.Equal(["CachePurgeSettings step, " + error], errors);
        Assert.Null(stored);
    }

    [Fact]
    public async Task Settings_read_back_give_the_engine_the_clear_secrets()
    {
        var siteService = new FakeSiteService();
        var service = TestServices.CreateSettingsService(siteService);
        var settings = WithAkamai("akab-client", "akab-access", "secret");
        service.ProtectSecrets(settings, existing: null);
        siteService.Site.Put(settings);

        var endpoint = Assert.Single((await service.GetOptionsAsync()).Endpoints);

        Assert.Equal(("akab-client", "akab-access", "secret"), (endpoint.ClientToken, endpoint.AccessToken, endpoint.ApiToken));
        Assert.Equal([12345], endpoint.CpCodes);
        Assert.Equal(CacheKind.Akamai, endpoint.Kind);
    }

    [Fact]
    public void Secrets_left_empty_are_checked_as_the_stored_ones_and_kept_protected()
    {
        var service = TestServices.CreateSettingsService();
        var stored = WithAkamai("akab-client", "akab-access", "secret");
        service.ProtectSecrets(stored, existing: null);
        var edited = WithAkamai("", "", "");

        service.KeepStoredSecrets(edited, stored);

        Assert.Empty(service.Validate(edited, new FakeSiteService().Site));
        service.ProtectSecrets(edited, stored);
        var cache = edited.Caches[0];
        Assert.Equal(("akab-client", "akab-access", "secret"), (service.UnprotectSecret(cache.ClientToken), service.UnprotectSecret(cache.AccessToken), service.UnprotectSecret(cache.ApiToken)));
        Assert.DoesNotContain("akab", cache.ClientToken + cache.AccessToken);
    }

    private static CachePurgeSettings WithAkamai(string clientToken, string accessToken, string clientSecret) => new()
    {
        Enabled = true,
        SiteHosts = ["www.example.com"],
        Caches =
        [
            new()
            {
                Name = "akamai",
                Kind = CacheKind.Akamai,
                BaseUrl = "https://akab-host.purge.akamaiapis.net",
                ClientToken = clientToken,
                AccessToken = accessToken,
                ApiToken = clientSecret,
                CpCodes = [12345],
            },
        ],
    };
}

using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

/// <summary>A CloudFront cache in the site's settings and in a recipe: its fields reach the engine, its secret is protected.</summary>
public sealed class CloudFrontSettingsTests
{
    [Fact]
    public async Task CloudFront_settings_read_back_give_the_engine_the_clear_secret_the_key_id_and_the_budget()
    {
        var siteService = new FakeSiteService();
        var service = TestServices.CreateSettingsService(siteService);
        var settings = new CachePurgeSettings
        {
            Enabled = true,
            SiteHosts = ["www.example.com"],
            Caches = [new() { Name = "cf", Kind = CacheKind.CloudFront, DistributionId = " EDFDVBD6EXAMPLE ", AccessKeyId = "AKIAIOSFODNN7EXAMPLE", ApiToken = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", MonthlyPathBudget = 5_000, ItemsPerCall = 3_000 }],
        };
        service.ProtectSecrets(settings, existing: null);
        siteService.Site.Put(settings);

        var endpoint = Assert.Single((await service.GetOptionsAsync()).Endpoints);

        Assert.NotEqual("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", settings.Caches[0].ApiToken);
        Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", endpoint.ApiToken);
        Assert.Equal(("EDFDVBD6EXAMPLE", "AKIAIOSFODNN7EXAMPLE", 5_000, 3_000), (endpoint.DistributionId, endpoint.AccessKeyId, endpoint.MonthlyPathBudget, endpoint.ItemsPerCall));
        Assert.Equal("https://cloudfront.amazonaws.com", endpoint.BaseUrl);
    }

    [Theory]
    [InlineData(""" "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "ApiToken": "secret" """, "CachePurgeSettings step, Caches[0].DistributionId: the distribution id is capital letters and digits, e.g. EDFDVBD6EXAMPLE (CloudFront console: the distribution's ID).")]
    [InlineData(""" "DistributionId": "EDFDVBD6EXAMPLE", "ApiToken": "secret" """, "CachePurgeSettings step, Caches[0].AccessKeyId: an access key id is 16 to 128 letters and digits, e.g. AKIAIOSFODNN7EXAMPLE.")]
    [InlineData(""" "DistributionId": "EDFDVBD6EXAMPLE", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE" """, "CachePurgeSettings step, Caches[0].ApiToken: the secret access key of the access key id is required.")]
    [InlineData(""" "DistributionId": "EDFDVBD6EXAMPLE", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "ApiToken": "secret", "ItemsPerCall": 3001 """, "CachePurgeSettings step, Caches[0].ItemsPerCall: must be between 1 and 3,000 paths, the most a distribution has in progress.")]
    public async Task A_cloudfront_cache_without_its_distribution_key_or_secret_is_refused_naming_the_field(string fields, string error)
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ { "Name": "cf", "Kind": "CloudFront", {{fields}} } ] }
            """);

        Assert.Equal([error], errors);
        Assert.Null(stored);
    }

    [Fact]
    public async Task A_cloudfront_cache_is_stored_from_a_recipe_with_its_secret_protected()
    {
        var (errors, stored) = await SettingsRecipeStepTests.RunAsync("""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "cf", "Kind": "CloudFront", "DistributionId": "EDFDVBD6EXAMPLE", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "ApiToken": "secret-clear", "MonthlyPathBudget": 2000, "ItemsPerCall": 1000 } ] }
            """);

        Assert.Empty(errors);
        var cache = Assert.Single(stored.Caches);
        Assert.DoesNotContain("secret-clear", cache.ApiToken);
        Assert.NotEmpty(cache.ApiToken);
        Assert.Equal((CacheKind.CloudFront, "EDFDVBD6EXAMPLE", "AKIAIOSFODNN7EXAMPLE", 2_000, 1_000), (cache.Kind, cache.DistributionId, cache.AccessKeyId, cache.MonthlyPathBudget, cache.ItemsPerCall));
    }
}

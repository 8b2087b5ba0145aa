using System.Text.Json.Nodes;
using CachePurge.Module.Models;
using CachePurge.Module.Recipes;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;
using OrchardCore.Environment.Shell;
using OrchardCore.Environment.Shell.Models;
using OrchardCore.Recipes.Models;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The CachePurgeSettings recipe step, which deployment imports run too.</summary>
public sealed class SettingsRecipeStepTests
{
    private const string Cache = """{ "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "Kind": "Varnish" }""";

    [Fact]
    public async Task A_recipe_with_300_caches_is_refused_with_the_limit_and_writes_nothing()
    {
        var caches = string.Join(", ", Enumerable.Range(0, 300).Select(i => Cache.Replace("\"varnish\"", $"\"varnish{i}\"", StringComparison.Ordinal)));

        var (errors, stored) = await RunAsync($$"""{ "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ {{caches}} ] }""");

        Assert.Equal(["CachePurgeSettings step, Caches: at most 20 caches can be configured; there are 300."], errors);
        Assert.Null(stored);
    }

    [Fact]
    public async Task A_recipe_with_20_caches_is_stored()
    {
        var caches = string.Join(", ", Enumerable.Range(0, 20).Select(i => Cache.Replace("\"varnish\"", $"\"varnish{i}\"", StringComparison.Ordinal)));

        var (errors, stored) = await RunAsync($$"""{ "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ {{caches}} ] }""");

        Assert.Empty(errors);
        Assert.Equal(20, stored.Caches.Count);
    }

    [Theory]
    [InlineData(false, "CachePurgeSettings step, Caches[0].Headers[1]: the value of 'X-A' has a non-ASCII character (such as an accented letter) at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    [InlineData(true, "CachePurgeSettings step, Caches[0].Headers[1]: the value of 'X-A' has a non-ASCII character (such as an accented letter) at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.")]
    public async Task A_header_value_a_purge_cannot_carry_is_refused_naming_the_header(bool secret, string error)
    {
        var (errors, stored) = await RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081",
                            "Headers": [ { "Name": "X-Site", "Value": "a" }, { "Name": "X-A", "Value": "b\u00e9", "Secret": {{(secret ? "true" : "false")}} } ] } ] }
            """);

        Assert.Equal([error], errors);
        Assert.Null(stored);
    }

    [Theory]
    [InlineData("Varnish", null)]
    [InlineData("Squid", "CachePurgeSettings step, Caches[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Squid cache removes pages.")]
    [InlineData("Generic", "CachePurgeSettings step, Caches[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Generic cache removes pages.")]
    public async Task Soft_purge_is_stored_for_a_varnish_cache_only(string kind, string error)
    {
        var (errors, stored) = await RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "c", "BaseUrl": "http://127.0.0.1:6081", "Kind": "{{kind}}", "TagHeader": "Surrogate-Key", "SoftPurge": true } ] }
            """);

        Assert.Equal(error is null ? [] : [error], errors);
        Assert.Equal(error is null, stored?.Caches[0].SoftPurge == true);
    }

    /// <summary>A value of the wrong type is named by its setting and described in words, not as a .NET type.</summary>
    [Theory]
    [InlineData("""{ "Enabled": "yes" }""", "Enabled: must be true or false, not \"yes\".")]
    [InlineData("""{ "EscalationThreshold": "many" }""", "EscalationThreshold: must be a whole number, not \"many\".")]
    [InlineData("""{ "EscalationThreshold": null }""", "EscalationThreshold: must be a whole number, not null.")]
    [InlineData("""{ "SiteHosts": "www.example.com" }""", "SiteHosts: must be a list of texts, such as [ \"www.example.com\" ], not \"www.example.com\".")]
    [InlineData("""{ "ResponseTagHeader": 5 }""", "ResponseTagHeader: must be text in quotes, not 5.")]
    [InlineData("""{ "Caches": { "Name": "varnish" } }""", "Caches: must be a list of caches, such as [ { \"Name\": \"varnish\", \"BaseUrl\": \"http://127.0.0.1:6081\" } ], not {\"Name\":\"varnish\"}.")]
    [InlineData("""{ "Caches": [ "varnish" ] }""", "Caches[0]: must be a cache: an object such as { \"Name\": \"varnish\", \"BaseUrl\": \"http://127.0.0.1:6081\" }, not \"varnish\".")]
    [InlineData("""{ "Caches": [ { "TimeoutSeconds": "10s" } ] }""", "Caches[0].TimeoutSeconds: must be a whole number of seconds, not \"10s\".")]
    [InlineData("""{ "caches": [ { "timeoutSeconds": 1.5 } ] }""", "Caches[0].TimeoutSeconds: must be a whole number of seconds, not 1.5.")]
    [InlineData("""{ "Caches": [ { "MaxConcurrency": 1e12 } ] }""", "Caches[0].MaxConcurrency: must be a whole number, not 1e12.")]
    [InlineData("""{ "Caches": [ { "Kind": "Limelight" } ] }""", "Caches[0].Kind: must be one of \"Varnish\", \"Squid\", \"Nginx\", \"Generic\", \"Cloudflare\", \"Fastly\", \"Akamai\", \"Bunny\", \"CloudFront\", \"AzureFrontDoor\", not \"Limelight\".")]
    [InlineData("""{ "Caches": [ { "Http2": "on" } ] }""", "Caches[0].Http2: must be true or false, not \"on\".")]
    [InlineData("""{ "Caches": [ { "Headers": { "X-A": "1" } } ] }""", "Caches[0].Headers: must be a list of headers, such as [ { \"Name\": \"X-Purge-Token\", \"Value\": \"…\" } ], not {\"X-A\":\"1\"}.")]
    [InlineData("""{ "Caches": [ { "Headers": [ { "Name": "X-A", "Value": 1234 } ] } ] }""", "Caches[0].Headers[0].Value: must be text in quotes.")]
    [InlineData("""{ "Caches": [ { "ApiToken": 1234 } ] }""", "Caches[0].ApiToken: must be text in quotes.")]
    [InlineData("""{ "Caches": [ { "CloudflarePlan": "Gold" } ] }""", "Caches[0].CloudflarePlan: must be one of \"Free\", \"Pro\", \"Business\", \"Enterprise\", not \"Gold\".")]
    public async Task A_value_of_the_wrong_type_is_refused_in_words(string json, string error)
    {
        var (errors, stored) = await RunAsync(json);

        Assert.Equal(["CachePurgeSettings step, " + error], errors);
        Assert.Null(stored);
    }

    [Fact]
    public async Task A_bunny_cache_is_stored_with_its_pull_zone_and_schemes_and_its_key_protected()
    {
        var (errors, stored) = await RunAsync("""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "bunny", "Kind": "Bunny", "PullZoneId": "123456", "ApiToken": "key-clear", "Schemes": [ "https", "http" ], "NeverPurgeEverything": true } ] }
            """);

        Assert.Empty(errors);
        var cache = Assert.Single(stored.Caches);
        Assert.Equal((CachePurge.Core.CacheKind.Bunny, "123456", true), (cache.Kind, cache.PullZoneId, cache.NeverPurgeEverything));
        Assert.DoesNotContain("key-clear", cache.ApiToken);
        Assert.NotEmpty(cache.ApiToken);
        Assert.Equal(["https", "http"], cache.Schemes);
    }

    [Theory]
    [InlineData("Cloudflare", """ "ZoneId": "023e105f4ecef8ad9ca31a8372d0c353" """, "CachePurgeSettings step, Caches[0].ApiToken: an API token with the zone's Cache Purge permission is required.")]
    [InlineData("Cloudflare", """ "ApiToken": "tok" """, "CachePurgeSettings step, Caches[0].ZoneId: the zone id is 32 hexadecimal characters (Cloudflare dashboard: the zone's Overview, API section).")]
    [InlineData("Fastly", """ "ApiToken": "tok" """, "CachePurgeSettings step, Caches[0].ServiceId: the service id is letters and digits (Fastly: the service's page, under its name).")]
    [InlineData("Bunny", """ "ApiToken": "key" """, "CachePurgeSettings step, Caches[0].PullZoneId: the pull zone id is a number (bunny.net dashboard: the pull zone's page, and its address).")]
    [InlineData("Bunny", """ "PullZoneId": "123456" """, "CachePurgeSettings step, Caches[0].ApiToken: an API token with access to the pull zone (the account's API key) is required.")]
    public async Task A_cdn_without_its_id_or_token_is_refused_naming_the_field(string kind, string fields, string error)
    {
        var (errors, stored) = await RunAsync($$"""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ { "Name": "cdn", "Kind": "{{kind}}", {{fields}} } ] }
            """);

        Assert.Equal([error], errors);
        Assert.Null(stored);
    }

    [Fact]
    public async Task A_cloudflare_cache_is_stored_with_its_settings_and_its_token_protected()
    {
        var (errors, stored) = await RunAsync("""
            { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ],
              "Caches": [ { "Name": "cdn", "Kind": "Cloudflare", "ZoneId": "023e105f4ecef8ad9ca31a8372d0c353", "ApiToken": "tok-clear", "CloudflarePlan": "Business", "ItemsPerCall": 50, "Schemes": [ "https", "http" ] } ] }
            """);

        Assert.Empty(errors);
        var cache = Assert.Single(stored.Caches);
        Assert.DoesNotContain("tok-clear", cache.ApiToken);
        Assert.NotEmpty(cache.ApiToken);
        Assert.Equal((CachePurge.Core.CloudflarePlan.Business, 50), (cache.CloudflarePlan, cache.ItemsPerCall));
        Assert.Equal(["https", "http"], cache.Schemes);
    }

    [Theory]
    [InlineData("""{ "Caches": [ null ] }""")]
    [InlineData("""{ "Caches": [ { "Name": "varnish", "BaseUrl": "http://127.0.0.1:6081", "Headers": [ null ] } ] }""")]
    public async Task An_empty_entry_is_refused(string json)
    {
        var (errors, stored) = await RunAsync(json);

        Assert.Equal(["The CachePurgeSettings step has an empty cache or header entry (null)."], errors);
        Assert.Null(stored);
    }

    internal static async Task<(IList<string> Errors, CachePurgeSettings Stored)> RunAsync(string json)
    {
        var siteService = new FakeSiteService();
        var releases = new FakeShellReleaseManager();
        var step = new CachePurgeSettingsStep(
            siteService,
            TestServices.CreateSettingsService(siteService),
            releases,
            new ShellSettings { Name = "Default", State = TenantState.Running },
            new PassThroughLocalizer<CachePurgeSettingsStep>());
        var context = new RecipeExecutionContext { Name = CachePurgeSettingsStep.Name, Step = JsonNode.Parse(json)!.AsObject() };

        await step.ExecuteAsync(context);

        // Refused settings are not stored, so the tenant has nothing to pick up.
        Assert.Equal(context.Errors.Count == 0 ? 1 : 0, releases.Requests);

        // Read from the stored properties: the site object remembers that the step looked for settings before it put them.
        return (context.Errors, siteService.Site.TryGet<CachePurgeSettings>(nameof(CachePurgeSettings), out var stored) ? stored : null);
    }
}

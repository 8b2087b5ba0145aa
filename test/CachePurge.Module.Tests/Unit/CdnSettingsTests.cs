using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

public sealed class CdnSettingsTests
{
    /// <summary>Stored and read back as the site stores settings: a default list would be added to, not replaced.</summary>
    [Fact]
    public async Task Cloudflare_settings_read_back_give_the_engine_the_clear_token_and_https_once()
    {
        var siteService = new FakeSiteService();
        var service = TestServices.CreateSettingsService(siteService);
        var settings = WithCdn(CacheKind.Cloudflare, "tok-abc");
        service.ProtectSecrets(settings, existing: null);
        siteService.Site.Put(settings);

        var endpoint = Assert.Single((await service.GetOptionsAsync()).Endpoints);

        Assert.Equal("tok-abc", endpoint.ApiToken);
        Assert.Equal(["https"], endpoint.Schemes);
        Assert.Equal("https://api.cloudflare.com", endpoint.BaseUrl);
    }

    [Fact]
    public void A_token_left_empty_is_checked_as_the_stored_one_and_kept_protected()
    {
        var service = TestServices.CreateSettingsService();
        var stored = WithCdn(CacheKind.Fastly, "tok-abc");
        service.ProtectSecrets(stored, existing: null);
        var edited = WithCdn(CacheKind.Fastly, "");

        service.KeepStoredSecrets(edited, stored);

        Assert.Empty(service.Validate(edited, new FakeSiteService().Site));
        service.ProtectSecrets(edited, stored);
        Assert.NotEqual("tok-abc", edited.Caches[0].ApiToken);
        Assert.Equal("tok-abc", service.UnprotectSecret(edited.Caches[0].ApiToken));
    }

    [Fact]
    public void A_token_left_empty_is_not_taken_from_a_cache_of_another_kind()
    {
        var service = TestServices.CreateSettingsService();
        var stored = WithCdn(CacheKind.Cloudflare, "tok-abc");
        service.ProtectSecrets(stored, existing: null);
        var edited = WithCdn(CacheKind.Fastly, "");

        service.KeepStoredSecrets(edited, stored);

        var error = Assert.Single(service.Validate(edited, new FakeSiteService().Site));
        Assert.Equal("Caches[0].ApiToken", error.Field);
    }

    private static CachePurgeSettings WithCdn(CacheKind kind, string token) => new()
    {
        Enabled = true,
        SiteHosts = ["www.example.com"],
        Caches =
        [
            new()
            {
                Name = "cdn",
                Kind = kind,
                ZoneId = "023e105f4ecef8ad9ca31a8372d0c353",
                ServiceId = "SU1Z0isxPaozGVKXdv0eY",
                ApiToken = token,
            },
        ],
    };
}

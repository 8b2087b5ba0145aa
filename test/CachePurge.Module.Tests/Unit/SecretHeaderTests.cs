using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

public sealed class SecretHeaderTests
{
    [Fact]
    public void Secret_header_is_protected_at_rest_and_clear_for_the_engine()
    {
        var service = TestServices.CreateSettingsService();
        var settings = WithSecret("s3cret");

        service.ProtectSecrets(settings, existing: null);

        Assert.NotEqual("s3cret", settings.Caches[0].Headers[0].Value);
        Assert.DoesNotContain("s3cret", settings.Caches[0].Headers[0].Value);
        var options = service.ToOptions(settings, new FakeSiteService().Site, unprotectSecrets: true);
        Assert.Equal("s3cret", options.Endpoints[0].Headers["X-Purge-Token"]);
    }

    [Fact]
    public void Secret_left_empty_keeps_the_stored_value()
    {
        var service = TestServices.CreateSettingsService();
        var stored = WithSecret("s3cret");
        service.ProtectSecrets(stored, existing: null);

        var edited = WithSecret("");
        service.ProtectSecrets(edited, stored);

        Assert.Equal(stored.Caches[0].Headers[0].Value, edited.Caches[0].Headers[0].Value);
        Assert.Equal("s3cret", service.UnprotectSecret(edited.Caches[0].Headers[0].Value));
    }

    [Fact]
    public void Secret_protected_with_other_keys_reads_as_empty()
    {
        var stored = WithSecret("s3cret");
        TestServices.CreateSettingsService().ProtectSecrets(stored, existing: null);

        Assert.Equal("", TestServices.CreateSettingsService().UnprotectSecret(stored.Caches[0].Headers[0].Value));
    }

    [Fact]
    public void Secret_value_is_checked_as_typed_before_it_is_protected()
    {
        var service = TestServices.CreateSettingsService();
        var site = new FakeSiteService().Site;
        var settings = WithSecret("s3cr\u00e9t");

        var error = Assert.Single(service.Validate(settings, site));

        Assert.Equal("Caches[0].Headers[0]", error.Field);
        Assert.DoesNotContain("s3cr\u00e9t", error.Message);

        // Protected, the same value would pass, as protected text is ASCII: the plain value is what purges send.
        service.ProtectSecrets(settings, existing: null);
        Assert.Empty(service.Validate(settings, site));
    }

    [Theory]
    [InlineData("ab", true)]
    [InlineData("a\rb", false)]
    [InlineData("\u00e9", false)]
    public async Task A_stored_secret_a_purge_cannot_carry_keeps_the_engine_off(string secret, bool engineRuns)
    {
        var siteService = new FakeSiteService();
        var service = TestServices.CreateSettingsService(siteService);
        var settings = WithSecret(secret);
        settings.SiteHosts = ["www.example.com"];
        service.ProtectSecrets(settings, existing: null);
        siteService.Site.Put(settings);

        Assert.Equal(engineRuns, await service.GetOptionsAsync() is not null);
    }

    private static CachePurgeSettings WithSecret(string value) => new()
    {
        Caches =
        [
            new()
            {
                Name = "cdn",
                BaseUrl = "https://purge.example.net",
                Headers = [new() { Name = "X-Purge-Token", Value = value, Secret = true }],
            },
        ],
    };
}

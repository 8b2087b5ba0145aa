using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;
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
    [InlineData("s3cr\u00e9t", false)]
    public async Task A_stored_secret_a_purge_cannot_carry_keeps_the_engine_off_and_says_so(string secret, bool engineRuns)
    {
        var siteService = new FakeSiteService();
        var logger = new FakeLogger<CachePurgeSettingsService>();
        var service = TestServices.CreateSettingsService(siteService, logger: logger);
        var settings = WithSecret(secret);
        settings.SiteHosts = ["www.example.com"];
        service.ProtectSecrets(settings, existing: null);
        siteService.Site.Put(settings);

        Assert.Equal(engineRuns, await service.GetOptionsAsync() is not null);
        if (!engineRuns)
        {
            var record = Assert.Single(logger.Collector.GetSnapshot());
            Assert.Equal(4203, record.Id.Id);
            Assert.Contains("Caches[0].Headers[0]: the value of 'X-Purge-Token' has", record.Message);
            Assert.DoesNotContain(secret, record.Message);
        }
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

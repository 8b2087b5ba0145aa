using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;

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

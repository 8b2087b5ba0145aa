using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// <c>POST /api/cachepurge/purge</c> and <c>GET /api/cachepurge/status</c>, called as a deploy pipeline calls them: with
/// an OpenId client-credentials token of the site, authorized by the ManageCachePurge permission.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class PurgeApiTests(OrchardSite site)
{
    [Fact]
    public async Task A_call_without_a_token_is_refused_with_401()
    {
        await site.EnsureClientsAsync();
        using var anonymous = new HttpClient { BaseAddress = site.BaseUrl };

        using var purge = await anonymous.PostAsJsonAsync("api/cachepurge/purge", new { urls = new[] { "/about" } });
        using var status = await anonymous.GetAsync("api/cachepurge/status");

        Assert.Equal(HttpStatusCode.Unauthorized, purge.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
    }

    [Fact]
    public async Task A_client_without_the_permission_is_refused_with_403()
    {
        await site.EnsureClientsAsync();
        using var client = await site.CreateClientAsync(ApiClients.OtherClient);

        using var response = await client.PostAsJsonAsync("api/cachepurge/purge", new { urls = new[] { "/about" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_authorized_client_purges_a_cached_page_and_the_page_is_a_miss()
    {
        await site.EnsureClientsAsync();
        var path = $"api-target-{Guid.NewGuid():n}"[..24];
        await site.CreateAsync("Page", path, "API target");
        await site.GetThroughCacheAsync("/" + path);
        Assert.True((await site.GetThroughCacheAsync("/" + path)).Hit, "The second GET should be a cache hit.");
        using var client = await site.CreateClientAsync(ApiClients.PurgingClient);

        using var response = await client.PostAsJsonAsync("api/cachepurge/purge", new { urls = new[] { $"https://{OrchardSite.Host}/{path}" }, cache = "varnish" });
        await site.WhenPurgedAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["/" + path], body.RootElement.GetProperty("journaled").EnumerateArray().Select(e => e.GetString()));
        Assert.False((await site.GetThroughCacheAsync("/" + path)).Hit, "The API's purge did not take the page out of Varnish.");
    }

    [Fact]
    public async Task An_off_site_url_is_refused_with_400_naming_the_field_and_nothing_is_purged()
    {
        await site.EnsureClientsAsync();
        using var client = await site.CreateClientAsync(ApiClients.PurgingClient);

        using var response = await client.PostAsJsonAsync("api/cachepurge/purge", new { urls = new[] { "/about", "https://elsewhere.example.org/page" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("urls[1]", out _), $"The answer should name urls[1]: {errors}");
        Assert.False(errors.TryGetProperty("urls[0]", out _));
    }

    [Theory]
    [InlineData("""{ "tags": [ "site-Default", "site-OtherTenant" ] }""", "tags[1]")]
    [InlineData("""{ "tags": [ "ci-OtherTenant-4x2k9" ] }""", "tags[0]")]
    [InlineData("""{ "everything": true, "cache": "no-such-cache" }""", "cache")]
    [InlineData("""{ }""", "urls")]
    public async Task A_request_the_site_cannot_take_is_refused_with_400_naming_the_field(string json, string field)
    {
        await site.EnsureClientsAsync();
        using var client = await site.CreateClientAsync(ApiClients.PurgingClient);

        using var response = await client.PostAsync("api/cachepurge/purge", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"The answer should name {field}: {body.RootElement}");
    }

    [Fact]
    public async Task The_status_lists_the_caches_with_their_pending_purges()
    {
        await site.EnsureClientsAsync();
        using var client = await site.CreateClientAsync(ApiClients.PurgingClient);

        using var response = await client.GetAsync("api/cachepurge/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("isActive").GetBoolean());
        var cache = Assert.Single(body.RootElement.GetProperty("caches").EnumerateArray());
        Assert.Equal("varnish", cache.GetProperty("name").GetString());
        Assert.Equal("Varnish", cache.GetProperty("kind").GetString());
    }
}

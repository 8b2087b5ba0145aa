using CachePurge.Core;

namespace CachePurge.Core.Tests.Rules;

/// <summary>An Akamai cache's settings: its three EdgeGrid secrets, network, action, CP codes and schemes, each error naming its field.</summary>
public sealed class AkamaiValidationTests
{
    [Fact]
    public void A_complete_akamai_cache_is_valid()
    {
        Assert.Empty(CachePurgeOptionsValidator.Validate(Options(Valid())));
    }

    [Theory]
    [InlineData("ClientToken", "", "Endpoints[0].ClientToken: the client token (client_token) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.")]
    [InlineData("AccessToken", "", "Endpoints[0].AccessToken: the access token (access_token) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.")]
    [InlineData("ApiToken", "", "Endpoints[0].ApiToken: the client secret (client_secret) of an Akamai API client with the CCU APIs (Fast Purge) grant is required.")]
    [InlineData("ClientToken", "akab-client token", "Endpoints[0].ClientToken: the client token (client_token) holds no spaces, semicolons, line breaks or non-ASCII characters; paste it again from the .edgerc file.")]
    [InlineData("AccessToken", "akab;x", "Endpoints[0].AccessToken: the access token (access_token) holds no spaces, semicolons, line breaks or non-ASCII characters; paste it again from the .edgerc file.")]
    [InlineData("AkamaiNetwork", "7", "Endpoints[0].AkamaiNetwork: use Staging, Production.")]
    [InlineData("AkamaiPurgeAction", "7", "Endpoints[0].AkamaiPurgeAction: use Invalidate, Delete.")]
    [InlineData("CpCodes", "0", "Endpoints[0].CpCodes: list the site's CP codes as positive numbers, once each (Akamai Control Center: the property's CP codes).")]
    [InlineData("CpCodes", "12345,12345", "Endpoints[0].CpCodes: list the site's CP codes as positive numbers, once each (Akamai Control Center: the property's CP codes).")]
    [InlineData("Schemes", "ftp", "Endpoints[0].Schemes: list https, http or both, once each: a page is purged as a URL of each.")]
    [InlineData("SoftPurge", "True", "Endpoints[0].SoftPurge: only a Varnish or Fastly cache can purge softly; a Akamai cache removes pages.")]
    [InlineData("ConfirmEviction", "True", "Endpoints[0].ConfirmEviction: a Akamai cache is reached through its API, not asked for pages, so eviction cannot be confirmed.")]
    public void A_bad_akamai_setting_is_refused_naming_the_field(string setting, string value, string expected)
    {
        var endpoint = Valid();
        switch (setting)
        {
            case "ClientToken": endpoint.ClientToken = value; break;
            case "AccessToken": endpoint.AccessToken = value; break;
            case "ApiToken": endpoint.ApiToken = value; break;
            case "AkamaiNetwork": endpoint.AkamaiNetwork = (AkamaiNetwork)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "AkamaiPurgeAction": endpoint.AkamaiPurgeAction = (AkamaiPurgeAction)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "CpCodes": endpoint.CpCodes = [.. value.Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]; break;
            case "Schemes": endpoint.Schemes = [value]; break;
            case "SoftPurge": endpoint.SoftPurge = true; break;
            default: endpoint.ConfirmEviction = true; break;
        }

        Assert.Equal(expected, Assert.Single(CachePurgeOptionsValidator.Validate(Options(endpoint))).ToString());
    }

    private static CachePurgeOptions Options(CacheEndpoint endpoint) => new() { SiteHosts = ["www.example.com"], Endpoints = [endpoint] };

    private static CacheEndpoint Valid() => new()
    {
        Name = "akamai",
        Kind = CacheKind.Akamai,
        BaseUrl = "https://akab-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.purge.akamaiapis.net",
        ClientToken = "akab-client-token-xxx-xxxxxxxxxxxxxxxx",
        AccessToken = "akab-access-token-xxx-xxxxxxxxxxxxxxxx",
        ApiToken = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=",
        CpCodes = [12345],
    };
}

using System.Text.Json.Serialization;
using CachePurge.Core;

namespace CachePurge.Module.Models;

/// <summary>One cache as the site owner configures it; mapped to the engine's <see cref="CacheEndpoint"/>.</summary>
public sealed class CachePurgeCacheSettings
{
    public string Name { get; set; } = "";

    public string BaseUrl { get; set; } = "";

    // Stored and read by name so that recipes and exports say "Varnish" rather than 0.
    [JsonConverter(typeof(JsonStringEnumConverter<CacheKind>))]
    public CacheKind Kind { get; set; } = CacheKind.Varnish;

    public List<CachePurgeHeaderSettings> Headers { get; set; } = [];

    public int TimeoutSeconds { get; set; } = 10;

    public int MaxConcurrency { get; set; } = 16;

    public int RequestsPerSecond { get; set; }

    public string PurgePathPrefix { get; set; } = "/purge";

    public string Method { get; set; } = "PURGE";

    public string PathTemplate { get; set; } = "{path}";

    public string TagHeader { get; set; } = "";

    /// <summary>After each path purge, fetch the page through this cache and purge again unless it comes back fresh.</summary>
    public bool ConfirmEviction { get; set; }

    /// <summary>Varnish: mark purged pages stale, served from grace while Varnish fetches them again once, rather than remove them.</summary>
    public bool SoftPurge { get; set; }

    /// <summary>
    /// Purges over HTTP/2 (cleartext with prior knowledge on http), for a cache that speaks it; off by default. Settings
    /// saved with the former <c>Pipelining</c> switch still load: it is ignored, as every unknown property is.
    /// </summary>
    public bool Http2 { get; set; }

    /// <summary>Cloudflare: the zone's id.</summary>
    public string ZoneId { get; set; } = "";

    /// <summary>Fastly: the service's id.</summary>
    public string ServiceId { get; set; } = "";

    /// <summary>
    /// Cloudflare and Fastly: the API token, protected with ASP.NET Data Protection while stored. The settings page
    /// never shows it; a recipe gives it in plain text and an export leaves it out.
    /// </summary>
    public string ApiToken { get; set; } = "";

    /// <summary>Cloudflare: the account's plan, which sets the rate limits kept to.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<CloudflarePlan>))]
    public CloudflarePlan CloudflarePlan { get; set; } = CloudflarePlan.Free;

    /// <summary>Cloudflare and Fastly: URLs or tags in one purge call.</summary>
    public int ItemsPerCall { get; set; } = 100;

    /// <summary>
    /// Cloudflare: the schemes the site is served on; each page is purged as a URL of each. Empty means https alone:
    /// a default list would be added to, not replaced, when settings are read (Orchard populates lists).
    /// </summary>
    public List<string> Schemes { get; set; } = [];

    /// <summary>Cloudflare and Fastly: never purge every page at once, whatever asks for it.</summary>
    public bool NeverPurgeEverything { get; set; }

    /// <summary>Akamai: the API client's client token, a secret protected as <see cref="ApiToken"/> is (which holds its client secret).</summary>
    public string ClientToken { get; set; } = "";

    /// <summary>Akamai: the API client's access token, a secret protected as <see cref="ApiToken"/> is.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>Akamai: the network purged.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<AkamaiNetwork>))]
    public AkamaiNetwork AkamaiNetwork { get; set; } = AkamaiNetwork.Production;

    /// <summary>Akamai: invalidate (the default) or delete.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<AkamaiPurgeAction>))]
    public AkamaiPurgeAction AkamaiPurgeAction { get; set; } = AkamaiPurgeAction.Invalidate;

    /// <summary>Akamai: the site's CP codes, which a purge of everything purges; empty, everything is not purged.</summary>
    public List<int> CpCodes { get; set; } = [];

    /// <summary>Bunny: the pull zone's id; its API key is <see cref="ApiToken"/> and its schemes <see cref="Schemes"/>.</summary>
    public string PullZoneId { get; set; } = "";

    /// <summary>CloudFront: the distribution's id.</summary>
    public string DistributionId { get; set; } = "";

    /// <summary>CloudFront: the access key id; its secret access key is kept, protected, in <see cref="ApiToken"/>.</summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>CloudFront: the invalidation paths a month before paths are collapsed into wildcards.</summary>
    public int MonthlyPathBudget { get; set; } = 1_000;

    /// <summary>Azure Front Door: the subscription id (a GUID) of the profile.</summary>
    public string AzureSubscriptionId { get; set; } = "";

    /// <summary>Azure Front Door: the profile's resource group.</summary>
    public string AzureResourceGroup { get; set; } = "";

    /// <summary>Azure Front Door: the Front Door Standard or Premium profile's name.</summary>
    public string AzureProfile { get; set; } = "";

    /// <summary>Azure Front Door: the name of the profile's endpoint to purge.</summary>
    public string AzureEndpoint { get; set; } = "";

    /// <summary>Azure Front Door: how to sign in to Entra ID; a client secret is kept in <see cref="ApiToken"/>.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<AzureCredentialKind>))]
    public AzureCredentialKind AzureCredential { get; set; } = AzureCredentialKind.ClientSecret;

    /// <summary>Azure Front Door: the Entra ID tenant id.</summary>
    public string AzureTenantId { get; set; } = "";

    /// <summary>Azure Front Door: the client id of the app registration, the user-assigned managed identity or the workload identity.</summary>
    public string AzureClientId { get; set; } = "";

    /// <summary>Azure Front Door: the Entra ID authority host; empty for the Azure public cloud.</summary>
    public string AzureAuthorityHost { get; set; } = "";
}

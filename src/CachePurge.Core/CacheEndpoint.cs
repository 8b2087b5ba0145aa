namespace CachePurge.Core;

/// <summary>One cache that receives purges, as a site owner configures it.</summary>
public sealed class CacheEndpoint
{
    /// <summary>A short unique name shown in logs, metrics and the admin pages.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the cache listens, e.g. <c>http://127.0.0.1:6081</c>. http or https only.</summary>
    public string BaseUrl { get; set; } = "";

    public CacheKind Kind { get; set; } = CacheKind.Varnish;

    /// <summary>Extra request headers sent with every purge, e.g. an authentication token.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Time allowed for one attempt of one request; an attempt that times out is redelivered later.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many purge requests may be in flight to this cache at once.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Largest number of requests per second sent to this cache; 0 means no limit.</summary>
    public int RequestsPerSecond { get; set; }

    /// <summary>nginx: the location that runs <c>proxy_cache_purge</c>.</summary>
    public string PurgePathPrefix { get; set; } = "/purge";

    /// <summary>Generic: the HTTP method of a path purge.</summary>
    public string Method { get; set; } = "PURGE";

    /// <summary>Generic: the request path; <c>{path}</c> is replaced by the site path being purged.</summary>
    public string PathTemplate { get; set; } = "{path}";

    /// <summary>The request header that carries tags (Varnish: <c>xkey-purge</c>; generic: e.g. <c>Surrogate-Key</c>). Empty disables tag purges.</summary>
    public string TagHeader { get; set; } = "";

    /// <summary>
    /// Speak HTTP/2 to this cache: over plain http with prior knowledge (h2c, no upgrade), over https as negotiated by
    /// TLS. Many purges then share one connection, each on a stream of its own. Off by default; turn it on only for a
    /// cache that speaks it (Varnish with <c>-p feature=+http2</c>, nginx with <c>http2 on</c> or <c>listen … http2</c>):
    /// one that does not fails every purge.
    /// </summary>
    public bool Http2 { get; set; }

    /// <summary>After each path purge, fetch the page through the cache and retry the purge unless it comes back fresh (a MISS or <c>Age: 0</c>). Also re-warms the page.</summary>
    public bool ConfirmEviction { get; set; }

    /// <summary>
    /// Fastly: page and tag purges carry <c>Fastly-Soft-Purge: 1</c> and mark pages stale (purge_all stays hard).
    /// Varnish: mark purged pages stale rather than remove them, so that each is served from grace while Varnish fetches
    /// it again, once, in the background. Tags go in <c>xkey-softpurge</c> (when <see cref="TagHeader"/> is empty or
    /// <c>xkey-purge</c>), and every soft purge carries <c>Soft-Purge: 1</c>, which the VCL answers with vmod_purge's
    /// <c>purge.soft()</c>. Pages are served stale only within their grace (the cache policy's stale-while-revalidate).
    /// </summary>
    public bool SoftPurge { get; set; }

    /// <summary>Cloudflare: the zone's id (32 hexadecimal characters, on the zone's Overview page).</summary>
    public string ZoneId { get; set; } = "";

    /// <summary>Fastly: the service's id.</summary>
    public string ServiceId { get; set; } = "";

    /// <summary>
    /// CDNs: the API token, a secret (Azure Front Door: the client secret of <see cref="AzureClientId"/>). Cloudflare: with the zone's Cache Purge permission, sent as <c>Authorization:
    /// Bearer</c>. Fastly: with the purge_select scope (purge_all too, to purge everything), sent as <c>Fastly-Key</c>.
    /// Akamai: the API client's client secret, which signs every request (EdgeGrid) and is never sent.
    /// Bunny: the account's API key, sent as <c>AccessKey</c>.
    /// CloudFront: the secret access key of <see cref="AccessKeyId"/>, which signs every request (SigV4) and is never sent.
    /// </summary>
    public string ApiToken { get; set; } = "";

    /// <summary>Cloudflare: the account's plan, which sets the purge rate limits kept to.</summary>
    public CloudflarePlan CloudflarePlan { get; set; } = CloudflarePlan.Free;

    /// <summary>CDNs: URLs or tags sent in one purge call (Cloudflare: 100, 500 for files on Enterprise; Fastly: up to 256 keys; CloudFront: up to 3,000 paths). Akamai: not used; its calls hold what fits in 50 KB.</summary>
    public int ItemsPerCall { get; set; } = 100;

    /// <summary>CDNs: the schemes the site is served on; a page is purged as an absolute URL for each scheme and site host.</summary>
    public List<string> Schemes { get; set; } = ["https"];

    /// <summary>Bunny: the pull zone's id, a number (the pull zone's page in the dashboard, and its URL).</summary>
    public string PullZoneId { get; set; } = "";

    /// <summary>Bunny: the account's purge rate limits; bunny.net's documented ones unless its support raised them.</summary>
    public BunnyPurgeLimits BunnyLimits { get; set; } = BunnyPurgeLimits.Documented;

    /// <summary>
    /// CDNs: never purge every page at once, whatever asks for it (escalation, the admin's purge everything): on a CDN it
    /// can send every visitor to the origin together. Storms are then sent page by page within the rate limits.
    /// </summary>
    public bool NeverPurgeEverything { get; set; }

    /// <summary>Akamai: the API client's client token (<c>client_token</c> of its <c>.edgerc</c>), a secret.</summary>
    public string ClientToken { get; set; } = "";

    /// <summary>Akamai: the API client's access token (<c>access_token</c> of its <c>.edgerc</c>), a secret.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>Akamai: the network purged, staging or production.</summary>
    public AkamaiNetwork AkamaiNetwork { get; set; } = AkamaiNetwork.Production;

    /// <summary>Akamai: invalidate (pages are fetched again when next asked for, the default) or delete them.</summary>
    public AkamaiPurgeAction AkamaiPurgeAction { get; set; } = AkamaiPurgeAction.Invalidate;

    /// <summary>Akamai: the site's CP codes; every page of the site is purged as these. Empty: no purge of everything.</summary>
    public List<int> CpCodes { get; set; } = [];

    /// <summary>CloudFront: the distribution's id (e.g. <c>EDFDVBD6EXAMPLE</c>).</summary>
    public string DistributionId { get; set; } = "";

    /// <summary>
    /// CloudFront: the access key id of an IAM user or role allowed <c>cloudfront:CreateInvalidation</c>,
    /// <c>GetInvalidation</c> and <c>GetDistribution</c>; its secret access key is <see cref="ApiToken"/>.
    /// </summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>CloudFront: the session token of temporary credentials, sent as <c>X-Amz-Security-Token</c>; empty for an IAM user's key.</summary>
    public string SessionToken { get; set; } = "";

    /// <summary>
    /// CloudFront: the invalidation paths a month this site may send before it collapses paths into wildcards
    /// (<c>/blog/*</c>) to keep within it; AWS charges each path beyond the account's first 1,000 a month.
    /// </summary>
    public int MonthlyPathBudget { get; set; } = 1_000;

    /// <summary>Azure Front Door: the id of the Azure subscription that holds the profile (a GUID).</summary>
    public string AzureSubscriptionId { get; set; } = "";

    /// <summary>Azure Front Door: the resource group of the profile.</summary>
    public string AzureResourceGroup { get; set; } = "";

    /// <summary>Azure Front Door: the name of the Front Door Standard or Premium profile.</summary>
    public string AzureProfile { get; set; } = "";

    /// <summary>Azure Front Door: the name of the profile's endpoint whose content is purged (not its host name).</summary>
    public string AzureEndpoint { get; set; } = "";

    /// <summary>Azure Front Door: how the engine signs in to Entra ID for its Azure Resource Manager tokens.</summary>
    public AzureCredentialKind AzureCredential { get; set; } = AzureCredentialKind.ClientSecret;

    /// <summary>Azure Front Door: the Entra ID tenant (directory) id; for a client secret and workload identity.</summary>
    public string AzureTenantId { get; set; } = "";

    /// <summary>
    /// Azure Front Door: the application (client) id: of the app registration for a client secret (whose secret is
    /// <see cref="ApiToken"/>), of a user-assigned managed identity (empty for the system-assigned one), or of the
    /// workload identity.
    /// </summary>
    public string AzureClientId { get; set; } = "";

    /// <summary>Azure Front Door: the Entra ID authority host, e.g. <c>https://login.microsoftonline.us</c>; empty for the Azure public cloud.</summary>
    public string AzureAuthorityHost { get; set; } = "";

    /// <summary>Whether this cache can purge every page carrying a tag (Varnish; Generic with a <see cref="TagHeader"/>).</summary>
    public bool CanPurgeTags => Protocols.CacheProtocol.For(this).SupportsTags;

    /// <summary>Whether this cache can purge a whole site in one request (Varnish BAN, a CDN's purge by host).</summary>
    public bool CanPurgeEverything => Protocols.CacheProtocol.For(this).SupportsEverything;

    /// <summary>
    /// How this cache purges every page of the site: by the site's tag where it purges by tag and
    /// <paramref name="pagesCarrySiteTag"/>, else in one request where it can, else not at all.
    /// </summary>
    /// <param name="pagesCarrySiteTag">Whether the site's pages carry one tag common to all of them (the site tag).</param>
    public PurgeEverythingMethod HowToPurgeEverything(bool pagesCarrySiteTag)
    {
        // The tag comes first: a tag purge drops the tagged pages at once, while a Varnish BAN on the Host header stays
        // on the ban list, tested at every lookup of an older object, until all objects older than it are gone.
        var protocol = Protocols.CacheProtocol.For(this);
        if (pagesCarrySiteTag && protocol.SupportsTags)
        {
            return PurgeEverythingMethod.SiteTag;
        }

        return protocol.SupportsEverything ? PurgeEverythingMethod.Everything : PurgeEverythingMethod.NotPossible;
    }
}

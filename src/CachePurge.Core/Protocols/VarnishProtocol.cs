namespace CachePurge.Core.Protocols;

/// <summary>
/// Varnish hashes Host + URL, so a path is purged with <c>PURGE &lt;path&gt;</c> and the site's
/// Host header; tags go in an <c>xkey-purge</c> header (varnish-modules' xkey); a BAN on the
/// host clears the whole site. A soft purge (<see cref="CacheEndpoint.SoftPurge"/>) marks pages stale instead: tags go in
/// <c>xkey-softpurge</c>, and path and tag purges carry <c>Soft-Purge: 1</c>; the BAN stays hard.
/// </summary>
internal sealed class VarnishProtocol(CacheEndpoint endpoint)
    : HostHeaderProtocol(endpoint, PurgeCapabilities.Tag | PurgeCapabilities.Everything | PurgeCapabilities.SoftPurge)
{
    private static readonly HttpMethod Purge = new("PURGE");
    private static readonly HttpMethod Ban = new("BAN");

    /// <summary>The header that asks the VCL for a soft purge (vmod_purge's <c>purge.soft()</c>).</summary>
    public const string SoftPurgeHeader = "Soft-Purge";

    private const string XkeyPurge = "xkey-purge";

    private string TagHeader => Endpoint.SoftPurge && (string.IsNullOrEmpty(Endpoint.TagHeader) || string.Equals(Endpoint.TagHeader, XkeyPurge, StringComparison.OrdinalIgnoreCase))
        ? "xkey-softpurge"
        : string.IsNullOrEmpty(Endpoint.TagHeader) ? XkeyPurge : Endpoint.TagHeader;

    public override HttpRequestMessage CreatePathRequest(string path, SiteHost host) => Soft(Create(Purge, path, host));

    public override HttpRequestMessage CreateTagRequest(string tagHeaderValue, SiteHost host)
    {
        var request = Soft(Create(Purge, "/", host));
        request.Headers.TryAddWithoutValidation(TagHeader, tagHeaderValue);
        return request;
    }

    public override HttpRequestMessage CreateEverythingRequest(SiteHost host) => Create(Ban, "/", host);

    private HttpRequestMessage Soft(HttpRequestMessage request)
    {
        if (Endpoint.SoftPurge)
        {
            request.Headers.TryAddWithoutValidation(SoftPurgeHeader, "1");
        }

        return request;
    }
}

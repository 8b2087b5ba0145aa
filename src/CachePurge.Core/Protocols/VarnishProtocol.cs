namespace CachePurge.Core.Protocols;

/// <summary>
/// Varnish hashes Host + URL, so a path is purged with <c>PURGE &lt;path&gt;</c> and the site's
/// Host header; tags go in an <c>xkey-purge</c> header (varnish-modules' xkey); a BAN on the
/// host clears the whole site.
/// </summary>
internal sealed class VarnishProtocol(CacheEndpoint endpoint) : CacheProtocol(endpoint)
{
    private static readonly HttpMethod Purge = new("PURGE");
    private static readonly HttpMethod Ban = new("BAN");

    public override bool SupportsTags => true;

    public override bool SupportsEverything => true;

    private string TagHeader => string.IsNullOrEmpty(Endpoint.TagHeader) ? "xkey-purge" : Endpoint.TagHeader;

    public override HttpRequestMessage CreatePathRequest(string path, SiteHost host) => Create(Purge, path, host);

    public override HttpRequestMessage CreateTagRequest(string tagHeaderValue, SiteHost host)
    {
        var request = Create(Purge, "/", host);
        request.Headers.TryAddWithoutValidation(TagHeader, tagHeaderValue);
        return request;
    }

    public override HttpRequestMessage CreateEverythingRequest(SiteHost host) => Create(Ban, "/", host);
}

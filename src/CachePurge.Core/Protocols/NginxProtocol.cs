using System.Net;

namespace CachePurge.Core.Protocols;

/// <summary>
/// ngx_cache_purge in its separate-location form: <c>GET &lt;prefix&gt;&lt;path&gt;</c>. The
/// same-location <c>proxy_cache_purge PURGE from …</c> form crashes nginx 1.22 workers, so it is not
/// used. Debian's module (2.3) has no wildcard purge, so an nginx cache cannot clear everything
/// at once: storms are paced by the rate limit instead.
/// </summary>
internal sealed class NginxProtocol(CacheEndpoint endpoint) : HostHeaderProtocol(endpoint, PurgeCapabilities.None)
{
    private string Prefix => Endpoint.PurgePathPrefix.TrimEnd('/');

    public override HttpRequestMessage CreatePathRequest(string path, SiteHost host) => Create(HttpMethod.Get, Prefix + path, host);

    public override PurgeOutcome Classify(HttpStatusCode status) =>
        status == HttpStatusCode.PreconditionFailed ? PurgeOutcome.NotCached : base.Classify(status);
}

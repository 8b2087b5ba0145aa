namespace CachePurge.Core.Protocols;

/// <summary>Squid purges one URL per <c>PURGE</c> and answers 404 when it had nothing; it has no purge-all and no tags.</summary>
internal sealed class SquidProtocol(CacheEndpoint endpoint) : HostHeaderProtocol(endpoint, PurgeCapabilities.None)
{
    private static readonly HttpMethod Purge = new("PURGE");

    public override HttpRequestMessage CreatePathRequest(string path, SiteHost host) => Create(Purge, path, host);
}

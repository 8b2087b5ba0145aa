namespace CachePurge.Core.Protocols;

/// <summary>Any other cache or CDN: the method and path template come from the endpoint's settings; tags where a tag header is set.</summary>
internal sealed class GenericProtocol(CacheEndpoint endpoint)
    : HostHeaderProtocol(endpoint, string.IsNullOrEmpty(endpoint.TagHeader) ? PurgeCapabilities.None : PurgeCapabilities.Tag)
{
    public override HttpRequestMessage CreatePathRequest(string path, SiteHost host) =>
        Create(new HttpMethod(Endpoint.Method), Endpoint.PathTemplate.Replace("{path}", path, StringComparison.Ordinal), host);
}

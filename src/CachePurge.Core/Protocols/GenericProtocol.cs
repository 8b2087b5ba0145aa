namespace CachePurge.Core.Protocols;

/// <summary>Any other cache or CDN: the method and path template come from the endpoint's settings.</summary>
internal sealed class GenericProtocol(CacheEndpoint endpoint) : CacheProtocol(endpoint)
{
    public override HttpRequestMessage CreatePathRequest(string path, SiteHost host) =>
        Create(new HttpMethod(Endpoint.Method), Endpoint.PathTemplate.Replace("{path}", path, StringComparison.Ordinal), host);
}

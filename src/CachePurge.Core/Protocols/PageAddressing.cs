namespace CachePurge.Core.Protocols;

/// <summary>How a backend names the page it should purge.</summary>
internal enum PageAddressing
{
    /// <summary>A request per site host, the path in the request line and the host in <c>Host</c>: the cache is asked directly.</summary>
    PathWithHostHeader,

    /// <summary>One API call naming absolute URLs, <c>https://host/path</c> for each site host and scheme.</summary>
    AbsoluteUrl,

    /// <summary>One API call naming site paths, each for every host at once (CloudFront invalidates by path for the whole distribution).</summary>
    SitePath,
}

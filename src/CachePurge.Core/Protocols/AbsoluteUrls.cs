namespace CachePurge.Core.Protocols;

/// <summary>How a CDN that keys its cache by URL names a site's page: the scheme, the site host (with its port), the path.</summary>
internal static class AbsoluteUrls
{
    /// <summary>The page at <paramref name="path"/> on <paramref name="host"/> over <paramref name="scheme"/>.</summary>
    public static string Of(string scheme, SiteHost host, string path) => $"{scheme}://{host.HeaderValue}{path}";

    /// <summary>Each path as an absolute URL for every scheme and site host, a path's URLs together.</summary>
    public static List<string> Of(IReadOnlyList<string> paths, IReadOnlyList<string> schemes, IReadOnlyList<SiteHost> hosts)
    {
        var urls = new List<string>(paths.Count * schemes.Count * hosts.Count);
        foreach (var path in paths)
        {
            foreach (var scheme in schemes)
            {
                foreach (var host in hosts)
                {
                    urls.Add(Of(scheme, host, path));
                }
            }
        }

        return urls;
    }
}

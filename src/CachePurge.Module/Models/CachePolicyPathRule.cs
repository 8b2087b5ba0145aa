namespace CachePurge.Module.Models;

/// <summary>The shared lifetime of the pages whose path matches <see cref="Match"/>.</summary>
public sealed class CachePolicyPathRule
{
    /// <summary>
    /// A path prefix (<c>/feeds</c> matches <c>/feeds</c> and <c>/feeds/rss</c>, not <c>/feedsx</c>), or, starting
    /// with <c>^</c>, a regular expression over the path (<c>^/tags/[^/]+$</c>). Paths are those of the tenant,
    /// without its URL prefix.
    /// </summary>
    public string Match { get; set; } = "";

    public int Seconds { get; set; }
}

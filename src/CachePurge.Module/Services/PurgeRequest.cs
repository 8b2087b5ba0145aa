namespace CachePurge.Module.Services;

/// <summary>What a workflow or the API asks to purge: pages and tags, or everything; on every cache or on the one named.</summary>
public sealed class PurgeRequest
{
    /// <summary>Paths or absolute URLs of the site's pages.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Tags of this tenant's pages, as they carry them (<c>ci-Default-4x2k9</c>, <c>site-Default</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Every page of the site, as each cache can; the URLs and tags are then not needed.</summary>
    public bool Everything { get; init; }

    /// <summary>The one cache to purge, by its name in the settings; null or empty for every cache.</summary>
    public string Cache { get; init; }
}

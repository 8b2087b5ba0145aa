namespace CachePurge.Core.Protocols;

/// <summary>
/// What one cache backend can do, declared by its protocol: the queue batches, paces and escalates from this alone,
/// never from the kind of cache.
/// </summary>
internal sealed record BackendCapabilities
{
    public required PurgeCapabilities Purges { get; init; }

    public PageAddressing Addressing { get; init; } = PageAddressing.PathWithHostHeader;

    /// <summary>URLs one call purges; 1 where each page is a request of its own.</summary>
    public int UrlsPerCall { get; init; } = 1;

    /// <summary>Whether the backend keys its cache by scheme, so that a page is purged once per scheme (Cloudflare: yes; Fastly: no).</summary>
    public bool KeysByScheme { get; init; }

    /// <summary>Tags (or hosts, or prefixes) one call carries; <see cref="int.MaxValue"/> where only the header's length bounds them.</summary>
    public int TagsPerCall { get; init; } = int.MaxValue;

    /// <summary>Tags travel space-separated in one request header, split at <see cref="CachePurgeOptions.TagHeaderLimit"/> bytes (and at <see cref="TagsPerCall"/>).</summary>
    public bool TagsInHeader { get; init; }

    /// <summary>The buckets the backend enforces; the queue draws from them before each call.</summary>
    public IReadOnlyList<RateLimit> RateLimits { get; init; } = [];

    /// <summary>Who else draws from <see cref="RateLimits"/> (a CDN account, shared by every site using it); null for this endpoint alone.</summary>
    public string? RateScope { get; init; }

    public PurgeCompletion Completion { get; init; } = PurgeCompletion.Synchronous;

    /// <summary>The most bytes the targets of one call may take in its body (Akamai: 50 KB less the JSON around them); 0 where only counts bound a call.</summary>
    public int MaxCallBytes { get; init; }

    /// <summary>The bytes one target takes in a call's body, where <see cref="MaxCallBytes"/> bounds it.</summary>
    public Func<PurgeTargetKind, string, int>? TargetBytes { get; init; }

    /// <summary>
    /// For a backend that completes later: how many items (paths, URLs, tags) it takes in progress at once (CloudFront:
    /// 3,000 paths); the queue waits while the purges it has not reported done hold that many. 0 for no limit.
    /// </summary>
    public int MaxItemsInProgress { get; init; }

    public bool Can(PurgeCapabilities capability) => (Purges & capability) == capability;

    /// <summary>Whether the backend can purge a target of <paramref name="kind"/>; everything means every page of the site's hosts.</summary>
    public bool Supports(PurgeTargetKind kind) => kind switch
    {
        PurgeTargetKind.Path => Can(PurgeCapabilities.PathWithHost) || Can(PurgeCapabilities.AbsoluteUrl) || Can(PurgeCapabilities.SitePath),
        PurgeTargetKind.Tag => Can(PurgeCapabilities.Tag),
        _ => Can(PurgeCapabilities.Everything) || Can(PurgeCapabilities.Host),
    };

    /// <summary>Whether several paths go in one call (then one worker per concurrent call gathers them).</summary>
    public bool BatchesPaths => Addressing != PageAddressing.PathWithHostHeader && UrlsPerCall > 1;

    /// <summary>How many URLs one path becomes: one per host and scheme when pages are named by absolute URL.</summary>
    public int UrlsPerPath(int hosts, int schemes) => Addressing == PageAddressing.AbsoluteUrl ? Math.Max(1, hosts * (KeysByScheme ? schemes : 1)) : 1;

    /// <summary>
    /// Whether a target of <paramref name="kind"/> is sent in a call per site host: to a cache addressed by <c>Host</c>,
    /// or a path to a CDN whose call cannot name every host's URL. A CDN's tags and purges of everything are not per host.
    /// </summary>
    public bool OneCallPerHost(PurgeTargetKind kind, int hosts, int schemes) =>
        Addressing == PageAddressing.PathWithHostHeader || (kind == PurgeTargetKind.Path && UrlsPerCall < UrlsPerPath(hosts, schemes));

    /// <summary>
    /// Whether a path is sent in a call per site host and per scheme: to a CDN that takes one URL a call and keys its
    /// cache by scheme (Bunny), when the site is served on more than one scheme.
    /// </summary>
    public bool OneCallPerScheme(int schemes) => Addressing == PageAddressing.AbsoluteUrl && KeysByScheme && UrlsPerCall == 1 && schemes > 1;

    /// <summary>How many paths fit in one call.</summary>
    public int PathsPerCall(int hosts, int schemes) => OneCallPerHost(PurgeTargetKind.Path, hosts, schemes) ? 1 : Math.Max(1, UrlsPerCall / UrlsPerPath(hosts, schemes));
}

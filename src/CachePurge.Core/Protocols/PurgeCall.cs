namespace CachePurge.Core.Protocols;

/// <summary>
/// One request to a backend: the targets of one kind it carries (one path, several tags, several paths for a CDN) and
/// the site hosts it is for: one for a cache addressed by <c>Host</c>, or for a CDN that takes one URL a call; all of
/// them for a CDN that names every host in a call. <paramref name="Scheme"/> is the one scheme of a call to a CDN that
/// takes one URL a call and keys by scheme (Bunny); null where the call is for every configured scheme.
/// </summary>
internal readonly record struct PurgeCall(PurgeTargetKind Kind, IReadOnlyList<string> Values, IReadOnlyList<SiteHost> Hosts, string? Scheme = null)
{
    /// <summary>The one host of a call to a cache addressed by <c>Host</c>.</summary>
    public SiteHost Host => Hosts[0];

    /// <summary>What the call purges, as the admin pages show it.</summary>
    public string Describe() => Kind switch
    {
        PurgeTargetKind.Tag => "tag:" + string.Join(' ', Values),
        PurgeTargetKind.Everything => "everything",
        _ when Values.Count == 1 => Values[0],
        _ => $"{Values[0]} (+{Values.Count - 1} more)",
    };
}

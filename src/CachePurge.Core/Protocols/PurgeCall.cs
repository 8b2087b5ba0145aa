namespace CachePurge.Core.Protocols;

/// <summary>
/// One request to a backend: the targets of one kind it carries (one path, several tags, several paths for a CDN) and,
/// for a cache addressed by <c>Host</c>, the site host it is for.
/// </summary>
internal readonly record struct PurgeCall(PurgeTargetKind Kind, IReadOnlyList<string> Values, SiteHost Host)
{
    /// <summary>What the call purges, as the admin pages show it.</summary>
    public string Describe() => Kind switch
    {
        PurgeTargetKind.Tag => "tag:" + string.Join(' ', Values),
        PurgeTargetKind.Everything => "everything",
        _ when Values.Count == 1 => Values[0],
        _ => $"{Values[0]} (+{Values.Count - 1} more)",
    };
}

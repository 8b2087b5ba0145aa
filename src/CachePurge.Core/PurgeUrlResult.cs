namespace CachePurge.Core;

/// <summary>What <see cref="PurgeUrlNormalizer"/> made of one URL: a site path, or the reason it was refused.</summary>
public readonly record struct PurgeUrlResult(string? Path, string? Error)
{
    public bool IsValid => Path is not null;

    internal static PurgeUrlResult Ok(string path) => new(path, null);

    internal static PurgeUrlResult Refused(string reason) => new(null, reason);
}

namespace CachePurge.Module.Services;

/// <summary>What purging the operations page's list of URLs did: all of them are queued, or none when a line is refused.</summary>
/// <param name="IsActive">False when purging is off or no cache is configured; then nothing was looked at.</param>
/// <param name="Queued">The distinct pages queued for every cache.</param>
/// <param name="Refused">The lines that are not pages of this site.</param>
public sealed record UrlListPurge(bool IsActive, int Queued, IReadOnlyList<RefusedUrl> Refused);

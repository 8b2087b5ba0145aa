using CachePurge.Core;

namespace CachePurge.Module.Services;

/// <summary>
/// What a <see cref="PurgeRequest"/> did: everything it asked for was journaled, or nothing when a part of it was
/// refused, so that a typo does not send half of a list.
/// </summary>
/// <param name="IsActive">False when purging is off or no cache is configured; then nothing was looked at.</param>
/// <param name="Errors">The refused parts; empty when the purges were journaled.</param>
/// <param name="Targets">The distinct paths and tags journaled.</param>
/// <param name="Everything">For a purge of everything, how each cache asked is purged, by name.</param>
public sealed record PurgeRequestResult(
    bool IsActive,
    IReadOnlyList<PurgeRequestError> Errors,
    IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, PurgeEverythingMethod> Everything)
{
    public static PurgeRequestResult Off { get; } = new(false, [], [], new Dictionary<string, PurgeEverythingMethod>());

    public bool IsJournaled => IsActive && Errors.Count == 0;

    public static PurgeRequestResult Refused(IReadOnlyList<PurgeRequestError> errors) => new(true, errors, [], new Dictionary<string, PurgeEverythingMethod>());
}

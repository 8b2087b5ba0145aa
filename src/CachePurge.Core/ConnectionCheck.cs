namespace CachePurge.Core;

/// <summary>
/// The answer to a read-only check of a CDN's credentials (<see cref="PurgeDispatcher.CheckConnectionAsync"/>):
/// nothing is purged.
/// </summary>
/// <param name="Endpoint">The cache's name.</param>
/// <param name="Outcome">Whether the credentials work.</param>
/// <param name="Description">What was found, for a person: "token active; zone example.com", or the CDN's error with the step and credential it concerns.</param>
public sealed record ConnectionCheck(string Endpoint, ConnectionCheckOutcome Outcome, string Description)
{
    /// <summary>True when the credentials are accepted and reach the zone or service.</summary>
    public bool Succeeded => Outcome == ConnectionCheckOutcome.Succeeded;

    /// <summary>
    /// What the credentials may do that the cache's settings say they should not, or cannot do that the settings ask
    /// of them: "this token may also purge the whole zone; CachePurge never will, as set". Empty when nothing is amiss.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

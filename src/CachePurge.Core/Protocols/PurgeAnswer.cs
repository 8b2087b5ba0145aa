namespace CachePurge.Core.Protocols;

/// <summary>What a backend's answer to one call means, and, unless it purged, what went wrong.</summary>
internal readonly record struct PurgeAnswer(PurgeOutcome Outcome, string? Error);

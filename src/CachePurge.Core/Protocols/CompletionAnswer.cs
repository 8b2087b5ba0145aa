namespace CachePurge.Core.Protocols;

/// <summary>What a backend said of a purge it reports completion for later.</summary>
internal readonly record struct CompletionAnswer(CompletionStatus Status, string? Error = null);

using CachePurge.Core;

namespace CachePurge.Module.Services;

/// <summary>What "purge everything" did.</summary>
/// <param name="IsActive">False when purging is off or no cache is configured.</param>
/// <param name="Methods">How each cache asked is purged, by name; empty when no cache has the name asked for.</param>
public sealed record EverythingPurge(bool IsActive, IReadOnlyDictionary<string, PurgeEverythingMethod> Methods);

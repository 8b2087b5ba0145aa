namespace CachePurge.Module.Services;

/// <summary>One cache in a <see cref="PurgeStatus"/>: its name, kind, waiting purges and how everything is purged there.</summary>
public sealed record PurgeStatusCache(string Name, string Kind, int Pending, string EverythingMethod);

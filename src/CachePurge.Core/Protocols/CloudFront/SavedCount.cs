namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>The month's invalidation path count as its file keeps it: <c>{"month":"2026-11","paths":1234}</c>.</summary>
internal sealed record SavedCount(string Month, int Paths);

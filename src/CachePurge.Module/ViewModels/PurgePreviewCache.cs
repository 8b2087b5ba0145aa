using CachePurge.Core;

namespace CachePurge.Module.ViewModels;

/// <param name="PurgesTags">Whether this cache receives the tags; the others get the paths only.</param>
public sealed record PurgePreviewCache(string Name, CacheKind Kind, bool PurgesTags);

using CachePurge.Core;
using CachePurge.Module.Services;

namespace CachePurge.Module.ViewModels;

/// <summary>A table of requests the engine sent, as the operations page shows the recent ones and a test's answers.</summary>
/// <param name="Lifetimes">The cache policy's lifetime of each page among the targets; null hides the column (policy off, or a test).</param>
public sealed record CachePurgeResultsViewModel(IReadOnlyList<PurgeResult> Results, IReadOnlyDictionary<string, CacheLifetime> Lifetimes = null);

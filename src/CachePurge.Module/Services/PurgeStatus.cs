using CachePurge.Core;
using CachePurge.Core.Journal;

namespace CachePurge.Module.Services;

/// <summary>What the engine is doing, as the API reports it: the operations page's figures, without its lists.</summary>
/// <param name="IsActive">False when purging is off or no usable cache is configured.</param>
public sealed record PurgeStatus(
    bool IsActive,
    IReadOnlyList<PurgeStatusCache> Caches,
    DeadLetterSummary DeadLetters,
    JournalStatus Journal,
    EvictionLatency EvictionLatency);

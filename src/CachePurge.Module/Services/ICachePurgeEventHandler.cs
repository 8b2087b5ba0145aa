using CachePurge.Core;

namespace CachePurge.Module.Services;

/// <summary>
/// What the module tells the features built on it (audit trail, workflows): purges that an operator or a client asked
/// for, settings saved, and purges the engine could not deliver. Derive from <see cref="CachePurgeEventHandlerBase"/>.
/// </summary>
public interface ICachePurgeEventHandler
{
    /// <summary>Every page was purged from <paramref name="cache"/>, or from every cache when it is null.</summary>
    Task PurgedEverythingAsync(string cache, IReadOnlyDictionary<string, PurgeEverythingMethod> methods);

    /// <summary>The dead-lettered purges were queued again.</summary>
    Task DeadLettersReplayedAsync(int count);

    /// <summary>A settings group of the module (<c>CachePurge</c>, <c>CachePolicy</c>) was saved from the admin.</summary>
    Task SettingsUpdatedAsync(string group);

    /// <summary>A cache did not take a purge, as the engine reports it; runs in a scope of its own, outside any request.</summary>
    Task PurgeFailedAsync(PurgeFailure failure);
}

using CachePurge.Core;

namespace CachePurge.Module.Services;

/// <summary>An <see cref="ICachePurgeEventHandler"/> that does nothing, to override the events a feature cares about.</summary>
public abstract class CachePurgeEventHandlerBase : ICachePurgeEventHandler
{
    public virtual Task PurgedEverythingAsync(string cache, IReadOnlyDictionary<string, PurgeEverythingMethod> methods) => Task.CompletedTask;

    public virtual Task DeadLettersReplayedAsync(int count) => Task.CompletedTask;

    public virtual Task SettingsUpdatedAsync(string group) => Task.CompletedTask;

    public virtual Task PurgeFailedAsync(PurgeFailure failure) => Task.CompletedTask;
}

using OrchardCore.Data.Documents;
using OrchardCore.Environment.Shell.Scope;

namespace CachePurge.Module.Services;

/// <summary>
/// What a request collected for the caches, handed over once the request is over, and only if its session was
/// committed and no exception escaped it: Orchard runs deferred tasks after failed requests too. Kept apart from the
/// scoped collectors so that the deferred task, which runs after the request's scope is gone, holds only this.
/// </summary>
internal abstract class CommittedWork
{
    /// <summary>Set once the session was committed.</summary>
    public bool Committed { get; set; }

    /// <summary>Set when an exception escaped the scope, even if something was committed before it.</summary>
    public bool Failed { get; set; }

    /// <summary>
    /// Registers <paramref name="work"/> with the current scope: marked committed by the document store (which calls
    /// back only when the commit succeeded and was not cancelled by a failure), marked failed by an escaping exception,
    /// and sent by one deferred task. The callbacks capture <paramref name="work"/>, never the scoped collector.
    /// </summary>
    public static T Track<T>(IDocumentStore documentStore, T work) where T : CommittedWork
    {
        documentStore.AfterCommitSuccess<T>(() =>
        {
            work.Committed = true;
            return Task.CompletedTask;
        });

        ShellScope.AddExceptionHandler((scope, exception) =>
        {
            work.Failed = true;
            return Task.CompletedTask;
        });

        // A change that enables or disables a feature releases the tenant: the task then runs in a scope of the new
        // tenant, whose engine has taken over the journal from the old one.
        ShellScope.AddDeferredTask(scope => work.SendAsync(scope.ServiceProvider));

        return work;
    }

    /// <summary>Sends what was collected, if <see cref="Committed"/> and not <see cref="Failed"/>.</summary>
    public abstract Task SendAsync(IServiceProvider services);
}

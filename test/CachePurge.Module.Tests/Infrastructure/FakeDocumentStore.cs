using OrchardCore.Data.Documents;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Records the commit hooks, and runs them when the test says the session committed.</summary>
public sealed class FakeDocumentStore : IDocumentStore
{
    private readonly List<DocumentStoreCommitSuccessDelegate> _afterCommitSuccess = [];

    public int AfterCommitSuccessCount => _afterCommitSuccess.Count;

    public void AfterCommitSuccess<T>(DocumentStoreCommitSuccessDelegate afterCommit) => _afterCommitSuccess.Add(afterCommit);

    public void AfterCommitFailure<T>(DocumentStoreCommitFailureDelegate afterCommit)
    {
    }

    public async Task CommitAsync()
    {
        foreach (var callback in _afterCommitSuccess)
        {
            await callback();
        }
    }

    public Task CancelAsync() => Task.CompletedTask;

    public Task<T> GetOrCreateMutableAsync<T>(Func<Task<T>> factoryAsync = null) where T : class, new() => Task.FromResult(new T());

    public Task<(bool, T)> GetOrCreateImmutableAsync<T>(Func<Task<T>> factoryAsync = null) where T : class, new() => Task.FromResult((true, new T()));

    public Task UpdateAsync<T>(T document, Func<T, Task> updateCache, bool checkConcurrency = false) => Task.CompletedTask;
}

namespace CachePurge.Core.Dispatching;

/// <summary>Completes when a queue has nothing pending; a queue that gets work again starts a new signal.</summary>
internal sealed class IdleSignal
{
    private TaskCompletionSource _idle = New();

    public IdleSignal() => _idle.TrySetResult();

    public Task Task => _idle.Task;

    /// <summary>Work arrived: later waiters wait for the next idle moment. A signal still waiting is kept.</summary>
    public void Reset()
    {
        if (_idle.Task.IsCompleted)
        {
            _idle = New();
        }
    }

    public void Set() => _idle.TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

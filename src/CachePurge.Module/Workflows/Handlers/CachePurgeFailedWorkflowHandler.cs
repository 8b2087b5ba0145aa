using CachePurge.Core;
using CachePurge.Module.Services;
using CachePurge.Module.Workflows.Activities;
using OrchardCore.Environment.Shell;
using OrchardCore.Workflows.Services;

namespace CachePurge.Module.Workflows.Handlers;

/// <summary>Starts the workflows whose <see cref="CachePurgeFailedEvent"/> matches a purge a cache did not take.</summary>
public sealed class CachePurgeFailedWorkflowHandler : CachePurgeEventHandlerBase
{
    private readonly IWorkflowManager _workflowManager;
    private readonly PurgeRequestMetrics _metrics;
    private readonly ShellSettings _shellSettings;

    public CachePurgeFailedWorkflowHandler(IWorkflowManager workflowManager, PurgeRequestMetrics metrics, ShellSettings shellSettings)
    {
        _workflowManager = workflowManager;
        _metrics = metrics;
        _shellSettings = shellSettings;
    }

    public override async Task PurgeFailedAsync(PurgeFailure failure)
    {
        var input = new Dictionary<string, object>
        {
            [CachePurgeFailedEvent.CacheInput] = failure.Endpoint,
            [CachePurgeFailedEvent.TargetInput] = failure.Target,
            [CachePurgeFailedEvent.ErrorInput] = failure.Error,
            [CachePurgeFailedEvent.StatusInput] = failure.Status,
            [CachePurgeFailedEvent.OutcomeInput] = failure.Outcome.ToString(),
            [CachePurgeFailedEvent.DeadLetteredInput] = failure.DeadLettered,
            [CachePurgeFailedEvent.TimeInput] = failure.Time,
        };

        await _workflowManager.TriggerEventAsync(nameof(CachePurgeFailedEvent), input);
        _metrics.FailureHandled(_shellSettings.Name, failure.DeadLettered);
    }
}

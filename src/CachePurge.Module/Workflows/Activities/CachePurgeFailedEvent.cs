using Microsoft.Extensions.Localization;
using OrchardCore.Workflows.Abstractions.Models;
using OrchardCore.Workflows.Activities;
using OrchardCore.Workflows.Models;

namespace CachePurge.Module.Workflows.Activities;

/// <summary>
/// Starts a workflow when a cache did not take a purge: when the engine gives one up (dead letter), and, unless only
/// dead letters are asked for, when it reports a failure (at most once a minute per cache and kind of error). The
/// workflow's input holds <c>Cache</c>, <c>Target</c>, <c>Error</c>, <c>Status</c>, <c>Outcome</c>,
/// <c>DeadLettered</c> and <c>Time</c>, e.g. <c>{{ Workflow.Input.Error }}</c> in an email.
/// </summary>
public sealed class CachePurgeFailedEvent : EventActivity
{
    public const string CacheInput = "Cache";
    public const string TargetInput = "Target";
    public const string ErrorInput = "Error";
    public const string StatusInput = "Status";
    public const string OutcomeInput = "Outcome";
    public const string DeadLetteredInput = "DeadLettered";
    public const string TimeInput = "Time";

    internal readonly IStringLocalizer S;

    public CachePurgeFailedEvent(IStringLocalizer<CachePurgeFailedEvent> localizer)
    {
        S = localizer;
    }

    public override string Name => nameof(CachePurgeFailedEvent);

    public override LocalizedString DisplayText => S["Cache Purge Failed Event"];

    public override LocalizedString Category => S["Cache"];

    /// <summary>Only purges the engine gave up on, not failures it still retries.</summary>
    public bool OnlyDeadLetters
    {
        get => GetProperty(() => false);
        set => SetProperty(value);
    }

    /// <summary>Only failures of the cache with this name; empty for every cache.</summary>
    public string Cache
    {
        get => GetProperty(() => "");
        set => SetProperty(value);
    }

    public override bool CanExecute(WorkflowExecutionContext workflowContext, ActivityContext activityContext)
    {
        var input = workflowContext.Input;
        var deadLettered = input.TryGetValue(DeadLetteredInput, out var value) && value is true;
        var cache = input.TryGetValue(CacheInput, out var name) ? name as string : null;
        return (!OnlyDeadLetters || deadLettered) && (string.IsNullOrEmpty(Cache) || Cache == cache);
    }

    public override IEnumerable<Outcome> GetPossibleOutcomes(WorkflowExecutionContext workflowContext, ActivityContext activityContext)
        => Outcomes(S["Done"]);

    public override ActivityExecutionResult Resume(WorkflowExecutionContext workflowContext, ActivityContext activityContext)
        => Outcomes("Done");
}

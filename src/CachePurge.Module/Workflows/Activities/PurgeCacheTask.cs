using CachePurge.Module.Services;
using Microsoft.Extensions.Localization;
using OrchardCore.Workflows.Abstractions.Models;
using OrchardCore.Workflows.Activities;
using OrchardCore.Workflows.Models;
using OrchardCore.Workflows.Services;

namespace CachePurge.Module.Workflows.Activities;

/// <summary>
/// Purges pages (one URL or path a line), tags, or every page, from every cache or the one named; Done when the purges
/// are journaled (the engine delivers them, and retries), Failed when purging is off or a line is refused.
/// </summary>
public sealed class PurgeCacheTask : TaskActivity<PurgeCacheTask>
{
    private static readonly char[] _tagSeparators = [' ', ',', '\n', '\r', '\t'];

    private readonly CachePurgeOperations _operations;
    private readonly IWorkflowExpressionEvaluator _expressionEvaluator;

    internal readonly IStringLocalizer S;

    public PurgeCacheTask(CachePurgeOperations operations, IWorkflowExpressionEvaluator expressionEvaluator, IStringLocalizer<PurgeCacheTask> localizer)
    {
        _operations = operations;
        _expressionEvaluator = expressionEvaluator;
        S = localizer;
    }

    public override LocalizedString DisplayText => S["Purge Cache Task"];

    public override LocalizedString Category => S["Cache"];

    /// <summary>URLs or paths of the site's pages, one a line, with Liquid.</summary>
    public WorkflowExpression<string> Urls
    {
        get => GetProperty(() => new WorkflowExpression<string>());
        set => SetProperty(value);
    }

    /// <summary>Tags of the site's pages, separated by spaces, commas or lines, with Liquid.</summary>
    public WorkflowExpression<string> Tags
    {
        get => GetProperty(() => new WorkflowExpression<string>());
        set => SetProperty(value);
    }

    /// <summary>Purge every page instead, as each cache can.</summary>
    public bool Everything
    {
        get => GetProperty(() => false);
        set => SetProperty(value);
    }

    /// <summary>The one cache to purge, by name; empty for every cache.</summary>
    public string Cache
    {
        get => GetProperty(() => "");
        set => SetProperty(value);
    }

    public override IEnumerable<Outcome> GetPossibleOutcomes(WorkflowExecutionContext workflowContext, ActivityContext activityContext)
        => Outcomes(S["Done"], S["Failed"]);

    public override async Task<ActivityExecutionResult> ExecuteAsync(WorkflowExecutionContext workflowContext, ActivityContext activityContext)
    {
        var request = new PurgeRequest { Everything = true, Cache = Cache };
        if (!Everything)
        {
            // Liquid writes what it is given: no encoder, as for the text of an email.
            var urls = await _expressionEvaluator.EvaluateAsync(Urls, workflowContext, null) ?? "";
            var tags = await _expressionEvaluator.EvaluateAsync(Tags, workflowContext, null) ?? "";
            request = new PurgeRequest
            {
                Urls = [.. urls.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)],
                Tags = tags.Split(_tagSeparators, StringSplitOptions.RemoveEmptyEntries),
                Cache = Cache,
            };
        }

        var result = await _operations.PurgeAsync(request, "workflow");
        if (result.IsJournaled)
        {
            workflowContext.LastResult = result.Targets.Count > 0 ? string.Join("\n", result.Targets) : "everything";
            return Outcomes("Done");
        }

        workflowContext.LastResult = result.IsActive
            ? string.Join("\n", result.Errors.Select(e => $"{e.Field}: {e.Message}"))
            : S["Purging is off, or no cache is configured."].Value;
        return Outcomes("Failed");
    }
}

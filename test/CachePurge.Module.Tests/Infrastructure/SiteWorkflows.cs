using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Workflows.Models;
using OrchardCore.Workflows.Services;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Workflows on the test site, saved as the workflow editor saves them: a start event, then tasks in a chain.</summary>
public static class SiteWorkflows
{
    /// <summary>
    /// Saves an enabled workflow type named <paramref name="name"/> whose activities (name and properties, as the
    /// editor stores them) follow each other on their "Done" outcome; the first is the start event.
    /// </summary>
    public static Task CreateWorkflowAsync(this OrchardSite site, string name, params (string Activity, string Properties)[] activities) => site.InTenantAsync(async services =>
    {
        var workflowType = new WorkflowType
        {
            WorkflowTypeId = Guid.NewGuid().ToString("n"),
            Name = name,
            IsEnabled = true,
            DeleteFinishedWorkflows = false,
        };

        for (var i = 0; i < activities.Length; i++)
        {
            workflowType.Activities.Add(new ActivityRecord
            {
                ActivityId = ActivityId(name, i),
                Name = activities[i].Activity,
                IsStart = i == 0,
                X = i * 300,
                Properties = JsonNode.Parse(activities[i].Properties)!.AsObject(),
            });

            if (i > 0)
            {
                workflowType.Transitions.Add(new Transition { SourceActivityId = ActivityId(name, i - 1), SourceOutcomeName = "Done", DestinationActivityId = ActivityId(name, i) });
            }
        }

        await services.GetRequiredService<IWorkflowTypeStore>().SaveAsync(workflowType);
    });

    /// <summary>The id of the activity at <paramref name="index"/> in the workflow type named <paramref name="name"/>.</summary>
    public static string ActivityId(string name, int index) => $"{name.Replace(' ', '-')}-{index}";

    /// <summary>The database id of the workflow type named <paramref name="name"/>, as the workflow editor's URLs carry it.</summary>
    public static async Task<long> GetWorkflowTypeIdAsync(this OrchardSite site, string name)
    {
        long id = 0;
        await site.InTenantAsync(async services => id = (await services.GetRequiredService<IWorkflowTypeStore>().ListAsync()).Single(t => t.Name == name).Id);
        return id;
    }

    /// <summary>The instances of the workflow type named <paramref name="name"/>: their status and fault, if any.</summary>
    public static async Task<IReadOnlyList<(WorkflowStatus Status, string Fault)>> GetRunsAsync(this OrchardSite site, string name)
    {
        List<(WorkflowStatus, string)> runs = [];
        await site.InTenantAsync(async services =>
        {
            var types = await services.GetRequiredService<IWorkflowTypeStore>().ListAsync();
            var type = types.Single(t => t.Name == name);
            foreach (var workflow in await services.GetRequiredService<IWorkflowStore>().ListAsync(type.WorkflowTypeId))
            {
                runs.Add((workflow.Status, workflow.FaultMessage));
            }
        });
        return runs;
    }
}

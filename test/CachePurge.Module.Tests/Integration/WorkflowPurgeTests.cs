using CachePurge.Core;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Settings;
using OrchardCore.Workflows.Models;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// The "Purge cache" task and the "Cache purge failed" event of the CachePurge.Workflows feature, in workflows of the
/// real site behind Varnish.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class WorkflowPurgeTests(OrchardSite site)
{
    [Fact]
    public async Task A_workflow_on_a_published_item_purges_the_page_its_liquid_names_and_the_page_is_a_miss()
    {
        await site.EnableFeaturesAsync("OrchardCore.Workflows", "CachePurge.Workflows");
        await EnsureWorkflowSourceTypeAsync();
        var target = $"wf-target-{Guid.NewGuid():n}"[..24];
        await site.CreateAsync("Page", target, "Workflow target");
        await site.CreateWorkflowAsync(
            "Purge the page named by a published source",
            ("ContentPublishedEvent", """{ "ContentTypeFilter": ["WorkflowSource"] }"""),
            ("PurgeCacheTask", """{ "Urls": { "Expression": "/{{ Workflow.Input.ContentItem.DisplayText }}" }, "Tags": { "Expression": "" }, "Everything": false, "Cache": "" }"""));

        await site.GetThroughCacheAsync("/" + target);
        Assert.True((await site.GetThroughCacheAsync("/" + target)).Hit, "The second GET of the target should be a cache hit.");

        // The source item has no page of its own and the target does not show it: only the workflow purges the target.
        await PublishWorkflowSourceAsync(target);
        await site.WhenPurgedAsync();

        var (hit, status, _) = await site.GetThroughCacheAsync("/" + target);
        Assert.False(hit, "The workflow's Purge cache task did not take the page out of Varnish.");
        Assert.Equal(200, status);
        var run = Assert.Single(await site.GetRunsAsync("Purge the page named by a published source"));
        Assert.Equal(WorkflowStatus.Finished, run.Status);
    }

    [Fact]
    public async Task A_cache_that_fails_a_purge_starts_the_cache_purge_failed_workflow_which_purges_another_cache()
    {
        await site.EnableFeaturesAsync("OrchardCore.Workflows", "CachePurge.Workflows");
        var target = $"wf-alert-{Guid.NewGuid():n}"[..24];
        await site.CreateAsync("Page", target, "Alert target");
        await site.CreateWorkflowAsync(
            "Purge the alert page when the cache down fails",
            ("CachePurgeFailedEvent", """{ "OnlyDeadLetters": false, "Cache": "down" }"""),
            ("PurgeCacheTask", $$"""{ "Urls": { "Expression": "/{{target}}" }, "Tags": { "Expression": "" }, "Everything": false, "Cache": "varnish" }"""));

        await site.GetThroughCacheAsync("/" + target);
        Assert.True((await site.GetThroughCacheAsync("/" + target)).Hit, "The second GET of the target should be a cache hit.");

        var before = await site.GetSettingsAsync();
        try
        {
            // Nothing listens on this port: every purge sent to the cache named "down" fails.
            await site.UpdateSettingsAsync(settings => settings.Caches.Add(new()
            {
                Name = "down",
                BaseUrl = $"http://127.0.0.1:{FreePort.Next()}",
                Kind = CacheKind.Varnish,
                TagHeader = "xkey-purge",
                TimeoutSeconds = 2,
            }));
            // Not SiteContent.CreateAsync: it would wait for "down" to take the purge.
            await site.InTenantAsync(async services =>
            {
                var contentManager = services.GetRequiredService<IContentManager>();
                var item = await contentManager.NewAsync("Page");
                item.DisplayText = "Unrelated page";
                await contentManager.CreateAsync(item, VersionOptions.Published);
            });

            // The event comes from the engine once its retries of the purge on "down" failed.
            var hit = true;
            for (var i = 0; i < 60 && hit; i++)
            {
                await Task.Delay(250);
                hit = (await site.GetThroughCacheAsync("/" + target)).Hit;
            }

            Assert.False(hit, "The Cache purge failed workflow did not purge the target from Varnish.");
            var run = Assert.Single(await site.GetRunsAsync("Purge the alert page when the cache down fails"));
            Assert.Equal(WorkflowStatus.Finished, run.Status);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
            await site.WhenPurgedAsync();
        }
    }

    [Fact]
    public async Task The_workflow_editor_shows_both_activities_and_their_editors_offer_the_caches()
    {
        await site.EnableFeaturesAsync("OrchardCore.Workflows", "CachePurge.Workflows");
        const string Name = "Editor view of the cache purge activities";
        await site.CreateWorkflowAsync(
            Name,
            ("CachePurgeFailedEvent", """{ "OnlyDeadLetters": true, "Cache": "" }"""),
            ("PurgeCacheTask", """{ "Urls": { "Expression": "/editor-{{ Workflow.Input.Cache }}" }, "Tags": { "Expression": "" }, "Everything": false, "Cache": "varnish" }"""));
        var id = await site.GetWorkflowTypeIdAsync(Name);
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        var designer = await admin.GetStringAsync($"Admin/Workflows/Types/Edit/{id}");
        var taskEditor = await admin.GetStringAsync($"Admin/Workflows/Types/{id}/Activity/{SiteWorkflows.ActivityId(Name, 1)}/Edit");
        var eventEditor = await admin.GetStringAsync($"Admin/Workflows/Types/{id}/Activity/CachePurgeFailedEvent/Add");

        Assert.Contains("Purges given up", designer);
        Assert.Contains("/editor-{{ Workflow.Input.Cache }}", System.Net.WebUtility.HtmlDecode(designer));
        Assert.Contains("Purge pages, tags or everything from the site's caches.", designer);
        Assert.Contains("/editor-{{ Workflow.Input.Cache }}", System.Net.WebUtility.HtmlDecode(taskEditor));
        Assert.Contains("<option value=\"varnish\" selected=\"selected\">varnish</option>", taskEditor);
        Assert.Contains("Only purges given up", eventEditor);
        Assert.Contains("<option value=\"varnish\">varnish</option>", eventEditor);
    }

    /// <summary>A content type without a page of its own, whose items only start workflows.</summary>
    private Task EnsureWorkflowSourceTypeAsync() => site.InTenantAsync(async services =>
    {
        var definitions = services.GetRequiredService<IContentDefinitionManager>();
        if (await definitions.GetTypeDefinitionAsync("WorkflowSource") is null)
        {
            await definitions.AlterTypeDefinitionAsync("WorkflowSource", type => type.Creatable().WithPart("TitlePart"));
        }
    });

    private Task PublishWorkflowSourceAsync(string title) => site.InTenantAsync(async services =>
    {
        var contentManager = services.GetRequiredService<IContentManager>();
        var item = await contentManager.NewAsync("WorkflowSource");
        item.DisplayText = title;
        await contentManager.CreateAsync(item, VersionOptions.Published);
    });
}

using CachePurge.Module.Indexes;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;
using OrchardCore.Modules;
using YesSql;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Purge intents: saved in the tenant's database in the publishing request's own transaction, removed once the request
/// handed them to the engine, and handed over by the recovery task when the request's node never did.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class PurgeIntentTests(OrchardSite site)
{
    [Fact]
    public async Task Publishing_saves_the_intent_with_the_content_and_removes_it_once_handed_to_the_engine()
    {
        var id = await site.CreateAsync("Page", "intent-handed-over", "Intent handed over");
        var savedIntents = new List<PurgeIntent>();

        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
            item.Alter<HtmlBodyPart>(p => p.Html = "<p>handed over</p>");
            await contentManager.UpdateAsync(item);
            await contentManager.PublishAsync(item);

            // Read back inside the same transaction, before it commits: the intent is part of it.
            var session = services.GetRequiredService<ISession>();
            savedIntents.AddRange(await session.Query<PurgeIntent, PurgeIntentIndex>(collection: PurgeIntentIndexProvider.Collection).ListAsync());
        });
        await site.WhenPurgedAsync();

        var intent = Assert.Single(savedIntents, i => i.Urls.Contains("/intent-handed-over"));
        Assert.Contains($"ci-Default-{id}", intent.Tags);
        await Eventually.WaitUntilAsync(async () => await CountIntentsAsync() == 0, 10, "the intent is removed once the engine has it");
    }

    [Fact]
    public async Task A_request_that_fails_after_publishing_leaves_no_intent()
    {
        var id = await site.CreateAsync("Page", "intent-failing", "Intent failing");
        await Eventually.WaitUntilAsync(async () => await CountIntentsAsync() == 0, 10, "no intent waits before the failing request");

        await Assert.ThrowsAsync<InvalidOperationException>(() => site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
            item.Alter<HtmlBodyPart>(p => p.Html = "<p>never saved</p>");
            await contentManager.UpdateAsync(item);
            await contentManager.PublishAsync(item);
            throw new InvalidOperationException("The request fails after publishing.");
        }));

        Assert.Equal(0, await CountIntentsAsync());
    }

    /// <summary>
    /// What a node killed right after the publishing request's commit leaves behind: the content change and its intent
    /// in the database, and nothing in any engine. The recovery task of any node then purges the page.
    /// </summary>
    [Fact]
    public async Task An_intent_whose_node_died_before_handing_it_over_is_purged_by_the_recovery_task()
    {
        await site.CreateAsync("Page", "intent-orphaned", "Intent orphaned");
        var (first, _, _) = await site.GetThroughCacheAsync("/intent-orphaned");
        Assert.True((await site.GetThroughCacheAsync("/intent-orphaned")).Hit, $"cached after a first GET (hit: {first})");

        await site.InTenantAsync(async services =>
        {
            var clock = services.GetRequiredService<IClock>();
            var intent = new PurgeIntent { CreatedUtc = clock.UtcNow - PurgeIntentRecoveryTask.HandOverTime - TimeSpan.FromSeconds(1) };
            intent.Urls.Add("/intent-orphaned");
            await services.GetRequiredService<ISession>().SaveAsync(intent, collection: PurgeIntentIndexProvider.Collection);
        });
        Assert.True((await site.GetThroughCacheAsync("/intent-orphaned")).Hit, "nothing purged the page before the recovery task ran");

        await site.InTenantAsync(services => ActivatorUtilities.CreateInstance<PurgeIntentRecoveryTask>(services).DoWorkAsync(services, CancellationToken.None));
        await site.WhenPurgedAsync();

        Assert.False((await site.GetThroughCacheAsync("/intent-orphaned")).Hit);
        Assert.Equal(0, await CountIntentsAsync());
    }

    [Fact]
    public async Task The_recovery_task_leaves_intents_their_request_may_still_hand_over()
    {
        long id = 0;
        await site.InTenantAsync(async services =>
        {
            var intent = new PurgeIntent { CreatedUtc = services.GetRequiredService<IClock>().UtcNow };
            intent.Urls.Add("/intent-recent");
            await services.GetRequiredService<ISession>().SaveAsync(intent, collection: PurgeIntentIndexProvider.Collection);
            await services.GetRequiredService<ISession>().SaveChangesAsync();
            id = intent.Id;
        });

        try
        {
            await site.InTenantAsync(services => ActivatorUtilities.CreateInstance<PurgeIntentRecoveryTask>(services).DoWorkAsync(services, CancellationToken.None));

            Assert.Equal(1, await CountIntentsAsync());
        }
        finally
        {
            await site.InTenantAsync(services => services.GetRequiredService<IPurgeIntentStore>().DeleteAsync(id));
        }
    }

    private async Task<int> CountIntentsAsync()
    {
        var count = 0;
        await site.InTenantAsync(async services => count = await services.GetRequiredService<IPurgeIntentStore>().CountAsync());
        return count;
    }
}

using CachePurge.Module.Indexes;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.BackgroundTasks;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;
using OrchardCore.Modules;
using YesSql;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Purge intents: saved in the tenant's database in the publishing request's own transaction, held by the node whose
/// engine took them until the engine has settled them, and taken over by any node when nobody answers for them.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class PurgeIntentTests(OrchardSite site)
{
    [Fact]
    public async Task Publishing_saves_the_intent_with_the_content_then_this_node_holds_it_until_its_engine_settled_it()
    {
        var id = await site.CreateAsync("Page", "intent-held", "Intent held");
        await RunAsync<PurgeIntentLeaseTask>();
        var inTransaction = new List<(long Id, string[] Urls, string[] Tags, string Owner)>();

        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
            item.Alter<HtmlBodyPart>(p => p.Html = "<p>held</p>");
            await contentManager.UpdateAsync(item);
            await contentManager.PublishAsync(item);

            // Read back inside the same transaction, before it commits: the intent is part of it. The session gives
            // back the request's own instance, which the hand-over changes later: keep what it holds now.
            inTransaction.AddRange((await services.GetRequiredService<ISession>()
                .Query<PurgeIntent, PurgeIntentIndex>(collection: PurgeIntentIndexProvider.Collection).ListAsync())
                .Select(i => (i.Id, i.Urls.ToArray(), i.Tags.ToArray(), i.Owner)));
        });
        await site.WhenPurgedAsync();

        // Saved once, already this node's: the hand-over writes nothing, its commit number waits for the lease task.
        var saved = Assert.Single(inTransaction, i => i.Urls.Contains("/intent-held"));
        Assert.Contains($"ci-Default-{id}", saved.Tags);
        Assert.Equal(PurgeNode.Id, saved.Owner);

        var held = Assert.Single(await ListAsync(), i => i.Id == saved.Id);
        Assert.Equal(PurgeNode.Id, held.Owner);
        Assert.Equal(0, held.Sequence);
        Assert.True(held.LeaseUntilUtc > DateTime.UtcNow);

        await RunAsync<PurgeIntentLeaseTask>();

        Assert.DoesNotContain(await ListAsync(), i => i.Id == saved.Id);
    }

    [Fact]
    public async Task A_request_that_fails_after_publishing_leaves_no_intent()
    {
        var id = await site.CreateAsync("Page", "intent-failing", "Intent failing");
        await RunAsync<PurgeIntentLeaseTask>();
        var before = (await ListAsync()).Count;

        await site.PublishThenFailAsync(id);

        Assert.Equal(before, (await ListAsync()).Count);
    }

    [Fact]
    public async Task With_purging_off_a_publish_saves_no_intent()
    {
        var before = await site.GetSettingsAsync();
        var id = await site.CreateAsync("Page", "intent-purging-off", "Intent purging off");
        await site.WhenPurgedAsync();
        await RunAsync<PurgeIntentLeaseTask>();
        var intents = (await ListAsync()).Count;
        try
        {
            await site.UpdateSettingsAsync(settings => settings.Enabled = false);
            await site.InTenantAsync(async services =>
            {
                var contentManager = services.GetRequiredService<IContentManager>();
                var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
                item.Alter<HtmlBodyPart>(p => p.Html = "<p>not purged</p>");
                await contentManager.UpdateAsync(item);
                await contentManager.PublishAsync(item);
            });

            Assert.Equal(intents, (await ListAsync()).Count);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    /// <summary>What a node killed right after the publishing request's commit leaves: the content change and its intent, in no engine.</summary>
    [Fact]
    public async Task An_intent_no_engine_took_is_taken_over_by_the_recovery_task_and_purges_the_page()
    {
        await AssertTakenOverAsync("intent-never-handed-over", intent => intent.CreatedUtc = DateTime.UtcNow.AddMinutes(-1));
    }

    /// <summary>What a node killed while its engine still held the intent leaves: an owner that no longer renews its lease.</summary>
    [Fact]
    public async Task An_intent_whose_owner_stopped_renewing_its_lease_is_taken_over_and_purges_the_page()
    {
        await AssertTakenOverAsync("intent-of-a-dead-node", intent =>
        {
            intent.CreatedUtc = DateTime.UtcNow.AddMinutes(-5);
            intent.Owner = "a-node-that-died";
            intent.Sequence = 42;
            intent.LeaseUntilUtc = DateTime.UtcNow.AddSeconds(-1);
        });
    }

    [Fact]
    public async Task The_recovery_task_leaves_intents_a_live_node_or_a_running_request_answers_for()
    {
        var justSaved = await SaveIntentAsync("/intent-just-saved", intent => intent.CreatedUtc = DateTime.UtcNow);
        var leased = await SaveIntentAsync("/intent-leased", intent =>
        {
            intent.CreatedUtc = DateTime.UtcNow.AddMinutes(-5);
            intent.Owner = "a-live-node";
            intent.Sequence = 7;
            intent.LeaseUntilUtc = DateTime.UtcNow.AddMinutes(2);
        });

        var ownExpired = await SaveIntentAsync("/intent-own", intent =>
        {
            intent.CreatedUtc = DateTime.UtcNow.AddMinutes(-5);
            intent.Owner = PurgeNode.Id;
            intent.Sequence = long.MaxValue;
            intent.LeaseUntilUtc = DateTime.UtcNow.AddSeconds(-1);
        });

        try
        {
            await RunAsync<PurgeIntentRecoveryTask>();

            var intents = await ListAsync();
            Assert.Null(Assert.Single(intents, i => i.Id == justSaved).Owner);
            Assert.Equal("a-live-node", Assert.Single(intents, i => i.Id == leased).Owner);

            // Its own engine holds it while the node runs: the lease task renews it rather than another hand-over.
            var own = Assert.Single(intents, i => i.Id == ownExpired);
            Assert.Equal((PurgeNode.Id, long.MaxValue), (own.Owner, own.Sequence));
        }
        finally
        {
            await site.InTenantAsync(async services =>
            {
                foreach (var id in new[] { justSaved, leased, ownExpired })
                {
                    await services.GetRequiredService<IPurgeIntentStore>().DeleteAsync(id);
                }
            });
        }
    }

    [Fact]
    public async Task A_list_purged_from_the_operations_page_is_held_by_this_node_until_delivered()
    {
        var path = $"/intent-from-the-form-{Guid.NewGuid():N}";
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync("Admin/CachePurge/Index");
        using (var purged = await admin.PostAsync("Admin/CachePurge/Purge", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["urls"] = path,
        }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, purged.StatusCode);
        }

        var held = Assert.Single(await ListAsync(), i => i.Urls.Contains(path));
        Assert.Equal((PurgeNode.Id, (string)null), (held.Owner, held.Cache));
        Assert.True(held.Sequence > 0);

        await site.WhenPurgedAsync();
        await RunAsync<PurgeIntentLeaseTask>();

        Assert.DoesNotContain(await ListAsync(), i => i.Id == held.Id);
    }

    [Fact]
    public async Task A_purge_of_everything_is_held_by_this_node_until_delivered()
    {
        var before = (await ListAsync()).Select(i => i.Id).ToHashSet();
        await site.InTenantAsync(services => services.GetRequiredService<CachePurgeOperations>().PurgeEverythingAsync(null));

        var held = Assert.Single(await ListAsync(), i => !before.Contains(i.Id));
        Assert.True(held.Everything);
        Assert.Equal(PurgeNode.Id, held.Owner);
        Assert.Empty(held.Urls);

        await site.WhenPurgedAsync();
        await RunAsync<PurgeIntentLeaseTask>();

        Assert.DoesNotContain(await ListAsync(), i => i.Id == held.Id);
    }

    /// <summary>A site-wide change whose node died before delivering its purge of everything.</summary>
    [Fact]
    public async Task A_purge_of_everything_whose_owner_stopped_renewing_its_lease_is_taken_over()
    {
        await AssertTakenOverAsync("intent-everything-of-a-dead-node", intent =>
        {
            intent.Urls.Clear();
            intent.Everything = true;
            intent.CreatedUtc = DateTime.UtcNow.AddMinutes(-5);
            intent.Owner = "a-node-that-died-after-a-site-change";
            intent.Sequence = 9;
            intent.LeaseUntilUtc = DateTime.UtcNow.AddSeconds(-1);
        });
    }

    [Fact]
    public async Task The_operations_page_shows_which_node_holds_how_many_intents()
    {
        var held = await SaveIntentAsync("/intent-shown", intent =>
        {
            intent.CreatedUtc = DateTime.UtcNow.AddMinutes(-2);
            intent.Owner = "node-b.example/4242/shown";
            intent.Sequence = 3;
            intent.LeaseUntilUtc = DateTime.UtcNow.AddMinutes(2);
        });

        try
        {
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync("Admin/CachePurge/Index");

            var table = page[page.IndexOf("id=\"cachepurge-intents\"", StringComparison.Ordinal)..];
            var row = table[table.IndexOf("node-b.example/4242/shown", StringComparison.Ordinal)..];
            Assert.Matches(@"^node-b\.example/4242/shown\s*</td>\s*<td>1</td>", row);
        }
        finally
        {
            await site.InTenantAsync(services => services.GetRequiredService<IPurgeIntentStore>().DeleteAsync(held));
        }
    }

    private async Task AssertTakenOverAsync(string path, Action<PurgeIntent> leftBehind)
    {
        await site.CreateAsync("Page", path, path);
        await site.GetThroughCacheAsync("/" + path);
        Assert.True((await site.GetThroughCacheAsync("/" + path)).Hit, "cached after a first GET");

        var id = await SaveIntentAsync("/" + path, leftBehind);
        Assert.True((await site.GetThroughCacheAsync("/" + path)).Hit, "nothing purged the page before the recovery task ran");

        await RunAsync<PurgeIntentRecoveryTask>();
        await site.WhenPurgedAsync();

        Assert.False((await site.GetThroughCacheAsync("/" + path)).Hit);
        Assert.Equal(PurgeNode.Id, Assert.Single(await ListAsync(), i => i.Id == id).Owner);

        await RunAsync<PurgeIntentLeaseTask>();

        Assert.DoesNotContain(await ListAsync(), i => i.Id == id);
    }

    private async Task<long> SaveIntentAsync(string url, Action<PurgeIntent> configure)
    {
        var intent = new PurgeIntent();
        intent.Urls.Add(url);
        configure(intent);
        await site.InTenantAsync(services => services.GetRequiredService<IPurgeIntentStore>().SaveNowAsync(intent));
        return intent.Id;
    }

    /// <summary>Runs the module's background task <typeparamref name="T"/> once in a scope of the site, as Orchard's scheduler does.</summary>
    private Task RunAsync<T>() where T : IBackgroundTask => site.InTenantAsync(services =>
        services.GetServices<IBackgroundTask>().OfType<T>().Single().DoWorkAsync(services, CancellationToken.None));

    private async Task<IReadOnlyList<PurgeIntent>> ListAsync()
    {
        IReadOnlyList<PurgeIntent> intents = [];
        await site.InTenantAsync(async services => intents = (await services.GetRequiredService<ISession>()
            .Query<PurgeIntent, PurgeIntentIndex>(collection: PurgeIntentIndexProvider.Collection).ListAsync()).ToList());
        return intents;
    }
}

using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Module.Tests.Unit;

public sealed class SiteChangeCollectorTests
{
    [Fact]
    public void Many_changes_register_one_commit_hook_and_each_kind_once()
    {
        var store = new FakeDocumentStore();
        var collector = new SiteChangeCollector(store);

        collector.Add(SiteChangeKind.Templates);
        collector.Add(SiteChangeKind.SiteSettings);
        collector.Add(SiteChangeKind.Templates);

        Assert.Equal(1, store.AfterCommitSuccessCount);
        Assert.Equal([SiteChangeKind.Templates, SiteChangeKind.SiteSettings], collector.Kinds.Order());
    }

    [Fact]
    public void No_change_registers_nothing()
    {
        var store = new FakeDocumentStore();
        _ = new SiteChangeCollector(store);

        Assert.Equal(0, store.AfterCommitSuccessCount);
    }

    [Fact]
    public async Task A_recipe_step_hands_what_it_committed_to_the_request_running_the_recipe_instead_of_purging()
    {
        var recipe = new CollectedSiteChanges();
        var step = new CollectedSiteChanges { Recipe = recipe, Committed = true };
        step.Kinds.Add(SiteChangeKind.Placements);

        // No SiteWidePurge is registered: the step must not need one.
        await step.SendAsync(new ServiceCollection().BuildServiceProvider());

        Assert.Equal([SiteChangeKind.Placements], recipe.Kinds);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task A_recipe_step_that_was_not_saved_hands_over_nothing(bool committed, bool failed)
    {
        var recipe = new CollectedSiteChanges();
        var step = new CollectedSiteChanges { Recipe = recipe, Committed = committed, Failed = failed };
        step.Kinds.Add(SiteChangeKind.Templates);

        await step.SendAsync(new ServiceCollection().BuildServiceProvider());

        Assert.Empty(recipe.Kinds);
    }
}

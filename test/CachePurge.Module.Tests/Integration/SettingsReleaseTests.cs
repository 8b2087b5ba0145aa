using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// A settings change reaches the engine by releasing the tenant, as Orchard's own settings do: no polling, no
/// settings read on each commit, and nothing an editor or an admin does waits on a cache.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class SettingsReleaseTests(OrchardSite site)
{
    private const string SettingsPage = "Admin/Settings/CachePurge";

    [Fact]
    public Task Saving_the_settings_page_sends_the_very_next_purge_to_the_new_cache_url() =>
        AssertTheNextPurgeGoesToTheNewCacheAsync("release-settings-page", async newCacheUrl =>
        {
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync(SettingsPage);
            using var saved = await admin.PostAsync(SettingsPage, AdminPageTests.SettingsForm(page, newCacheUrl));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        });

    [Fact]
    public Task A_recipe_that_changes_the_settings_sends_the_very_next_purge_to_the_new_cache_url() =>
        AssertTheNextPurgeGoesToTheNewCacheAsync("release-recipe", async newCacheUrl =>
        {
            var step = $$"""
                { "name": "CachePurgeSettings", "SiteHosts": [ "{{OrchardSite.Host}}" ],
                  "Caches": [ { "Name": "varnish", "BaseUrl": "{{newCacheUrl}}", "Kind": "Varnish", "TagHeader": "xkey-purge", "TimeoutSeconds": 5 } ] }
                """;
            RecipeExecutionContext context = null;
            await site.InTenantAsync(async services =>
            {
                context = new RecipeExecutionContext { Name = "CachePurgeSettings", Step = JsonNode.Parse(step)!.AsObject() };
                foreach (var handler in services.GetServices<IRecipeStepHandler>())
                {
                    await handler.ExecuteAsync(context);
                }
            });
            Assert.Empty(context.Errors);
        });

    [Fact]
    public async Task With_a_cache_that_never_answers_publishing_and_saving_the_settings_do_not_wait_and_lose_nothing()
    {
        await using var silent = new SilentCache();
        var stuck = await CreatePageAsync("release-stuck", "first stuck text");
        var next = await CreatePageAsync("release-next", "first next text");
        foreach (var path in new[] { "/release-stuck", "/release-next" })
        {
            await site.GetThroughCacheAsync(path);
            Assert.True((await site.GetThroughCacheAsync(path)).Hit);
        }

        var before = await site.GetSettingsAsync();
        try
        {
            await site.UpdateSettingsAsync(s =>
            {
                s.Caches[0].BaseUrl = silent.BaseUrl;
                s.Caches[0].TimeoutSeconds = 60;
            });

            // This purge goes to a cache that takes the connection and never answers.
            var publishToSilent = await TimeAsync(() => site.PublishEditAsync(stuck, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second stuck text</p>")));
            await Eventually.WaitUntilAsync(() => silent.Connections > 0, seconds: 10);

            // Saving releases the tenant; the next request's engine takes over from the one with the purge in flight.
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync(SettingsPage);
            var form = AdminPageTests.SettingsForm(page, site.Varnish.BaseUrl.ToString().TrimEnd('/'));
            var save = await TimeAsync(async () =>
            {
                using var saved = await admin.PostAsync(SettingsPage, form);
                Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            });
            var publishAfterSave = await TimeAsync(() => site.PublishEditAsync(next, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second next text</p>")));

            // Before, the old engine drained for 5 s inside whichever request replaced it; the cache's timeout is 60 s.
            Assert.True(publishToSilent < TimeSpan.FromSeconds(3), $"publishing took {publishToSilent}");
            Assert.True(save < TimeSpan.FromSeconds(3), $"saving the settings took {save}");
            Assert.True(publishAfterSave < TimeSpan.FromSeconds(3), $"publishing after the save took {publishAfterSave}");

            // The purge the silent cache never answered stayed in the journal, and the new engine sent it to Varnish.
            await site.WhenPurgedAsync();
            var (stuckHit, _, stuckBody) = await site.GetThroughCacheAsync("/release-stuck");
            Assert.False(stuckHit);
            Assert.Contains("second stuck text", stuckBody);
            var (nextHit, _, nextBody) = await site.GetThroughCacheAsync("/release-next");
            Assert.False(nextHit);
            Assert.Contains("second next text", nextBody);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    /// <summary>
    /// A page cached in a second Varnish; <paramref name="pointTheSettingsAt"/> moves the settings to that Varnish; the
    /// very next publish must evict the page there: no background task has run, nothing polled the settings.
    /// </summary>
    private async Task AssertTheNextPurgeGoesToTheNewCacheAsync(string path, Func<string, Task> pointTheSettingsAt)
    {
        await using var second = await VarnishServer.StartAsync(site.BaseUrl.Port);
        using var client = CacheProbe.CreateClient();
        var id = await CreatePageAsync(path, "first text");
        await CacheProbe.GetAsync(client, second, "/" + path, OrchardSite.Host);
        Assert.True((await CacheProbe.GetAsync(client, second, "/" + path, OrchardSite.Host)).Hit);
        var before = await site.GetSettingsAsync();

        try
        {
            await pointTheSettingsAt(second.BaseUrl.ToString().TrimEnd('/'));

            await site.PublishEditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second text</p>"));
            await site.WhenPurgedAsync();

            var (hit, body) = await CacheProbe.GetAsync(client, second, "/" + path, OrchardSite.Host);
            Assert.False(hit);
            Assert.Contains("second text", body);
        }
        finally
        {
            await site.RestoreSettingsAsync(before);
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed;
    }

    private async Task<string> CreatePageAsync(string path, string text) =>
        await site.CreateAsync("Page", path, path, item => item.Alter<HtmlBodyPart>(p => p.Html = $"<p>{text}</p>"));
}

using System.Net;
using System.Text.RegularExpressions;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;

namespace CachePurge.Module.Tests.Integration;

/// <summary>Long operations on the operations page: the request only queues, the status line follows what is still waiting.</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed partial class LongOperationTests(OrchardSite site)
{
    private const int Lines = 10_000;

    [Fact]
    public async Task Ten_thousand_urls_typed_in_the_purge_form_are_queued_by_the_request_and_purged_after_it()
    {
        string[] pages = ["long-op-first", "long-op-middle", "long-op-last"];
        foreach (var page in pages)
        {
            await site.CreateAsync("Page", page, page);
            await site.GetThroughCacheAsync("/" + page);
            Assert.True((await site.GetThroughCacheAsync("/" + page)).Hit, $"/{page} is cached");
        }

        var lines = Enumerable.Range(1, Lines).Select(i => $"/long-op/{i}").ToArray();
        lines[0] = "/" + pages[0];
        lines[Lines / 2] = "/" + pages[1];
        lines[^1] = "/" + pages[2];

        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var form = await admin.GetStringAsync("Admin/CachePurge/Index");
        using (var purged = await admin.PostAsync("Admin/CachePurge/Purge", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(form),
            ["urls"] = string.Join('\n', lines),
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, purged.StatusCode);
        }

        // The status line the page polls: it counts down to nothing waiting. (Above the escalation threshold the engine
        // may send one purge of everything in their place; either way the pages leave the cache.)
        await Eventually.WaitUntilAsync(async () => Pending(await admin.GetStringAsync("Admin/CachePurge/Status")) == 0, 60, "nothing waits any more");

        foreach (var page in pages)
        {
            Assert.False((await site.GetThroughCacheAsync("/" + page)).Hit, $"/{page} was purged");
        }
    }

    private static int Pending(string status) => int.Parse(PendingPattern().Match(status).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("data-pending=\"(\\d+)\"")]
    private static partial Regex PendingPattern();
}

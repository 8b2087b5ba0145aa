using System.Diagnostics;
using System.Globalization;
using System.Net;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Xunit.Abstractions;

namespace CachePurge.Module.Tests.Farm;

/// <summary>
/// Both nodes alive and publishing at once, each its own page with a purge URL of its own per publish: every URL
/// reaches Varnish, and none more often than the publishes ask. A publish purges its item's URLs and those of the
/// version it replaces (a URL taken off the list still shows the page until purged), so each URL is asked for twice,
/// by the publish that adds it and by the next, and the last of each node's once. The intents each node commits are
/// its own to deliver; the other node's recovery must leave them alone, so the farm adds no purge of its own.
/// </summary>
[Collection(WebFarmCollection.Name)]
public sealed class SteadyPublishingTests(WebFarm farm, ITestOutputHelper output)
{
    [Fact]
    public async Task Publishes_spread_over_both_nodes_purge_every_path_exactly_once()
    {
        // 2,000 in CI; fewer for a quick local run.
        var publishes = int.Parse(Environment.GetEnvironmentVariable("CACHEPURGE_FARM_PUBLISHES") ?? "2000", CultureInfo.InvariantCulture);
        var perNode = publishes / 2;
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(
            PublishManyAsync(farm.NodeA, "cachepurgesamplehome", $"/steady/{run}/a/", perNode),
            PublishManyAsync(farm.NodeB, "cachepurgesampleabout", $"/steady/{run}/b/", perNode));
        var published = clock.Elapsed;

        string[] paths = [.. Enumerable.Range(0, perNode).SelectMany(i => new[] { $"/steady/{run}/a/{i}", $"/steady/{run}/b/{i}" })];
        int Asked(string path) => path.EndsWith($"/{perNode - 1}", StringComparison.Ordinal) ? 1 : 2;
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(paths.All(path => farm.PurgeRoute.RequestCount(path) >= Asked(path))),
            120,
            $"every one of the {paths.Length} paths was purged as often as its publishes asked");
        var delivered = clock.Elapsed;

        // Anything late would come within the lease and the recovery's minute: wait for Orchard's next tick to pass.
        await Task.Delay(TimeSpan.FromSeconds(70));
        var duplicates = paths.Where(path => farm.PurgeRoute.RequestCount(path) > Asked(path)).ToList();
        output.WriteLine($"{paths.Length} publishes on two nodes in {published.TotalSeconds:0.0} s, all delivered after {delivered.TotalSeconds:0.0} s; {duplicates.Count} paths purged more often than asked.");
        Assert.Empty(duplicates);
        Assert.Equal(paths.Sum(Asked), paths.Sum(farm.PurgeRoute.RequestCount));
    }

    /// <summary>Publishes the item <paramref name="count"/> times in its editor, each time with one new purge URL.</summary>
    private static async Task PublishManyAsync(FarmNode node, string id, string prefix, int count)
    {
        using var admin = await AdminBrowser.SignInAsync(node.BaseUrl, "admin", OrchardSite.AdminPassword);
        for (var i = 0; i < count; i++)
        {
            using var published = await admin.PublishInEditorAsync(id, fields => AdminBrowser.SetField(fields, "PurgeUrlsPart.Urls", prefix + i));
            Assert.True(published.StatusCode == HttpStatusCode.Redirect, $"Publish {i} on {node} answered {(int)published.StatusCode}.");
        }
    }
}

using System.Globalization;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;

namespace CachePurge.Module.Tests.Farm;

/// <summary>
/// A node killed while its purges wait for an unreachable cache: the purge intents it held stay in the shared database,
/// and the other node takes them over once their lease has run out and delivers every one.
/// </summary>
[Collection(WebFarmCollection.Name)]
public sealed class NodeFailureTests
{
    private const string HomeId = "cachepurgesamplehome";
    private const int ExtraUrls = 498;

    [Fact]
    public async Task Purges_held_by_a_node_killed_while_the_cache_was_unreachable_are_all_delivered_by_the_other_node()
    {
        // A farm of its own: this test kills a node. Short leases, so that the take-over is at Orchard's next minute tick.
        var farm = WebFarm.With(new Dictionary<string, string>
        {
            ["OrchardCore__CachePurge__IntentLease"] = "00:00:05",
            ["OrchardCore__CachePurge__IntentHandOverTime"] = "00:00:05",
        });
        await farm.InitializeAsync();
        try
        {
            var text = $"Published before the crash {Guid.NewGuid():N}";
            string[] extra = [.. Enumerable.Range(1, ExtraUrls).Select(i => $"/crash/{i}")];
            foreach (var path in new[] { "/", "/about" })
            {
                await Eventually.WaitUntilAsync(async () => (await farm.GetThroughCacheAsync(path)).Hit, 10, $"{path} is cached");
            }

            await farm.PurgeRoute.StopAsync();
            await WebFarm.PublishBodyAsync(farm.NodeA, HomeId, $"<p>{text}</p>", [.. extra, "/about"]);

            // Node A's engine has taken the intent: it answers for it now, and cannot reach the cache.
            await Eventually.WaitUntilAsync(
                async () => await farm.Postgres.QueryAsync(WebFarm.Database, """SELECT COUNT(*) FROM "CachePurge_PurgeIntentIndex" WHERE "Owner" IS NOT NULL""") != "0",
                20,
                "node A holds the intent of its publish");
            await farm.NodeA.KillAsync();
            farm.PurgeRoute.Start();

            await Eventually.WaitUntilAsync(
                async () => await farm.GetThroughCacheAsync("/") is { Hit: false } home && home.Body.Contains(text, StringComparison.Ordinal),
                150,
                "node B delivered the purge of the home page that node A held when it died");
            await Eventually.WaitUntilAsync(
                () => Task.FromResult(extra.Append("/about").All(path => farm.PurgeRoute.RequestCount(path) >= 1)),
                30,
                $"every one of the {ExtraUrls + 2} paths was purged");

            Assert.False((await farm.GetThroughCacheAsync("/about")).Hit);
            Assert.Contains("[4207]", farm.NodeB.Output, StringComparison.Ordinal);
            Assert.Equal(ExtraUrls + 1, extra.Append("/about").Sum(farm.PurgeRoute.RequestCount));
            await Eventually.WaitUntilAsync(
                async () => int.Parse(await farm.Postgres.QueryAsync(WebFarm.Database, """SELECT COUNT(*) FROM "CachePurge_PurgeIntentIndex" """), CultureInfo.InvariantCulture) == 0,
                90,
                "node B forgets the intent once its engine has settled it");
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // What the farm did, for whoever reads the failure.
            var intents = await farm.Postgres.QueryAsync(WebFarm.Database, """SELECT "DocumentId", "Owner", "Sequence", "LeaseUntilUtc", "CreatedUtc" FROM "CachePurge_PurgeIntentIndex" """);
            throw new InvalidOperationException($"{failure.Message}\nIntents:\n{intents}\nNode B:\n{Tail(farm.NodeB.Output)}\nNode A:\n{Tail(farm.NodeA.Output)}", failure);
        }
        finally
        {
            await farm.DisposeAsync();
        }
    }

    private static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];
}

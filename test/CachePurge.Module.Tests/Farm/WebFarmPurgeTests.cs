using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;

namespace CachePurge.Module.Tests.Farm;

/// <summary>Two real Orchard nodes on one PostgreSQL database and one Redis, behind one real Varnish: an editor on either node purges the page.</summary>
[Collection(WebFarmCollection.Name)]
public sealed class WebFarmPurgeTests(WebFarm farm)
{
    private const string HomeId = "cachepurgesamplehome";

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public async Task Publishing_on_either_node_turns_the_cached_page_from_hit_to_miss_with_the_new_text(string nodeName)
    {
        var node = nodeName == "a" ? farm.NodeA : farm.NodeB;
        var text = $"Published on node {nodeName} {Guid.NewGuid():N}";
        await Eventually.WaitUntilAsync(async () => (await farm.GetThroughCacheAsync("/")).Hit, 10, "the home page is cached");

        await WebFarm.PublishBodyAsync(node, HomeId, $"<p>{text}</p>");

        await Eventually.WaitUntilAsync(
            async () => await farm.GetThroughCacheAsync("/") is { Hit: false, Status: 200 } page && page.Body.Contains(text, StringComparison.Ordinal),
            10,
            $"the home page is fetched anew with the text published on {node}");
    }
}

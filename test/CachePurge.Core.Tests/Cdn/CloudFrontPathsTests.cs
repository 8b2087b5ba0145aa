using CachePurge.Core.Protocols.CloudFront;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>How paths are collapsed into CloudFront wildcards to keep within the month's budget.</summary>
public sealed class CloudFrontPathsTests
{
    [Theory]
    [InlineData("/blog/post-1 /blog/post-2 /news/a", 3, "", true, "/blog/post-1 /blog/post-2 /news/a")]
    [InlineData("/blog/post-1 /blog/post-2 /news/a", 2, "", true, "/blog/* /news/a")]
    [InlineData("/blog/post-1 /blog/post-2 /news/a", 1, "", true, "/*")]
    [InlineData("/blog/post-1 /blog/post-2 /news/a", 1, "", false, "/blog/* /news/*")]
    [InlineData("/blog/2026/a /blog/2026/b /blog/2025/c", 2, "", true, "/blog/2025/c /blog/2026/*")]
    [InlineData("/search?q=1 /search?q=2 /about", 2, "", true, "/about /search*")]
    [InlineData("/site/a/b /site/a/c /site/d", 1, "/site", false, "/site/a/* /site/d")]
    [InlineData("/site/a/b /site/a/c /site/d", 1, "/site", true, "/site/*")]
    public void Paths_collapse_deepest_first_into_wildcards(string paths, int target, string pathBase, bool mayPurgeEverything, string expected)
    {
        var collapsed = CloudFrontPaths.Collapse(paths.Split(' '), target, pathBase, mayPurgeEverything);

        Assert.Equal(expected, string.Join(' ', collapsed));
    }

    [Fact]
    public void More_than_15_folders_collapse_to_everything_when_allowed_and_stay_folders_when_not()
    {
        var paths = Enumerable.Range(0, 20).Select(i => $"/f{i}/page").ToArray();

        Assert.Equal(["/*"], CloudFrontPaths.Collapse(paths, 1, "", mayPurgeEverything: true));
        Assert.Equal(20, CloudFrontPaths.Wildcards(CloudFrontPaths.Collapse(paths, 1, "", mayPurgeEverything: false)));
    }
}

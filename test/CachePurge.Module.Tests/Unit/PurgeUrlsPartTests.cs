using CachePurge.Core;
using CachePurge.Module.Drivers;
using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Unit;

public sealed class PurgeUrlsPartTests
{
    private static readonly PurgeUrlNormalizer _normalizer = new(["www.example.com"]);
    private static readonly PassThroughLocalizer<PurgeUrlsPartDisplayDriver> S = new();

    [Theory]
    [InlineData("/a\n\nhttps://other.example/x", "line 3: https://other.example/x is not on this site")]
    [InlineData("/a\nftp://www.example.com/x", "line 2: the scheme 'ftp:' is not allowed; only http and https URLs of this site")]
    [InlineData("about", "line 1: about is neither a path starting with '/' nor an http(s) URL")]
    public void Each_refused_line_is_named_with_its_reason(string text, string expected)
    {
        var (_, errors) = PurgeUrlsPartDisplayDriver.Parse(text, _normalizer, S);

        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Paths_and_urls_of_the_site_are_kept_as_typed_once_each()
    {
        var (urls, errors) = PurgeUrlsPartDisplayDriver.Parse(" /blog \r\nhttps://www.example.com/news?page=2\n/blog\n", _normalizer, S);

        Assert.Empty(errors);
        Assert.Equal(["/blog", "https://www.example.com/news?page=2"], urls);
    }

    [Fact]
    public void Empty_text_gives_no_urls() =>
        Assert.Empty(PurgeUrlsPartDisplayDriver.Parse(null, _normalizer, S).Urls);
}

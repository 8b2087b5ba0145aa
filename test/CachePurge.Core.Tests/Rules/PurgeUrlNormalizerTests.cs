using CachePurge.Core;

namespace CachePurge.Core.Tests.Rules;

public sealed class PurgeUrlNormalizerTests
{
    private static readonly PurgeUrlNormalizer Site = new(["www.example.com", "example.com", "localhost:5000"]);
    private static readonly PurgeUrlNormalizer Blog = new(["www.example.com"], "/blog");

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/a/b?x=1", "/a/b?x=1")]
    [InlineData("/a/b?x=1&y=2", "/a/b?x=1&y=2")]
    [InlineData("/a/b#section", "/a/b")]
    [InlineData("/a/b?x=1#section", "/a/b?x=1")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/../../a", "/a")]
    [InlineData("/a/%2e%2e/b", "/b")]
    [InlineData("/%7Euser", "/~user")]
    [InlineData("/%41%42c", "/ABc")]
    [InlineData("/a%2fb", "/a%2Fb")]
    [InlineData("/a%2Fb", "/a%2Fb")]
    [InlineData("/caf%c3%a9", "/caf%C3%A9")]
    [InlineData("/café", "/caf%C3%A9")]
    [InlineData("/a?q=%7e", "/a?q=~")]
    [InlineData("/a?q=b/c", "/a?q=b/c")]
    [InlineData("/a|b", "/a%7Cb")]
    [InlineData("https://www.example.com/a/b?x=1", "/a/b?x=1")]
    [InlineData("http://www.example.com/a/b", "/a/b")]
    [InlineData("HTTPS://WWW.EXAMPLE.COM/a/B", "/a/B")]
    [InlineData("https://example.com", "/")]
    [InlineData("https://example.com?x=1", "/?x=1")]
    [InlineData("https://www.example.com:8443/a", "/a")]
    [InlineData("http://localhost:5000/a", "/a")]
    [InlineData("https://www.example.com/a/../b#top", "/b")]
    public void Site_urls_become_normalized_paths(string input, string expected)
    {
        var result = Site.Normalize(input);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Path);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("https://other.example/x", "not on this site")]
    [InlineData("https://www.example.com.evil.example/x", "not on this site")]
    [InlineData("https://evil.example/www.example.com", "not on this site")]
    [InlineData("http://localhost:5001/a", "not on this site")]
    [InlineData("//evil.example/x", "protocol-relative")]
    [InlineData("javascript:alert(1)", "scheme 'javascript:'")]
    [InlineData("file:///etc/passwd", "scheme 'file:'")]
    [InlineData("ftp://www.example.com/a", "scheme 'ftp:'")]
    [InlineData("data:text/html,hi", "scheme 'data:'")]
    [InlineData("/a\r\nX-Injected: 1", "control character")]
    [InlineData("/a\nb", "control character")]
    [InlineData("/a\0b", "control character")]
    [InlineData("/a\tb", "control character")]
    [InlineData("/a b", "white space")]
    [InlineData(" /a", "white space")]
    [InlineData("/a\u00a0b", "white space")]
    [InlineData("\\\\evil.example\\x", "backslash")]
    [InlineData("/a\\..\\b", "backslash")]
    [InlineData("a/b", "neither a path")]
    [InlineData("www.example.com/a", "neither a path")]
    [InlineData("/a%zz", "malformed percent-encoding")]
    [InlineData("/a%2", "malformed percent-encoding")]
    [InlineData("https://user:pass@www.example.com/a", "user name")]
    [InlineData("https:www.example.com/a", "not a well-formed URL")]
    [InlineData("https://", "not a well-formed URL")]
    public void Anything_but_a_site_url_is_refused_with_a_reason(string? input, string reason)
    {
        var result = Site.Normalize(input);

        Assert.False(result.IsValid);
        Assert.Null(result.Path);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public void Paths_longer_than_the_limit_are_refused()
    {
        var result = Site.Normalize("/" + new string('a', PurgeUrlNormalizer.MaxLength));

        Assert.False(result.IsValid);
        Assert.Contains("longer than 2048", result.Error);
    }

    [Fact]
    public void A_path_that_grows_past_the_limit_when_encoded_is_refused()
    {
        var result = Site.Normalize("/" + new string('é', 1_000));

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("/post", "/blog/post")]
    [InlineData("/", "/blog/")]
    [InlineData("https://www.example.com/blog/post", "/blog/post")]
    [InlineData("https://www.example.com/blog", "/blog")]
    [InlineData("https://www.example.com/blog?page=2", "/blog?page=2")]
    public void Under_a_path_base_relative_paths_are_prefixed_and_absolute_ones_must_be_under_it(string input, string expected)
    {
        Assert.Equal(expected, Blog.Normalize(input).Path);
    }

    [Theory]
    [InlineData("https://www.example.com/shop/item")]
    [InlineData("https://www.example.com/blogger")]
    [InlineData("/../admin")]
    [InlineData("https://www.example.com/blog/../admin")]
    public void Under_a_path_base_urls_outside_it_are_refused(string input)
    {
        var result = Blog.Normalize(input);

        Assert.False(result.IsValid);
        Assert.Contains("not under this site's path /blog", result.Error);
    }

    [Fact]
    public void Equal_urls_written_differently_normalize_to_the_same_path()
    {
        string[] spellings = ["/caf%C3%A9/x", "/café/x", "/caf%c3%a9/./x", "https://www.example.com/caf%C3%A9/y/../x", "https://WWW.example.com/café/x#frag"];

        var paths = spellings.Select(s => Site.Normalize(s).Path).Distinct().ToList();

        Assert.Equal(["/caf%C3%A9/x"], paths);
    }
}

namespace CachePurge.Testing;

/// <summary>The two halves of every purge proof: a page is cached (MISS, then HIT with the same body), and later it is not (MISS with a new body).</summary>
public static class CachedPage
{
    public const string Host = "www.example.com";

    /// <summary>Caches <paramref name="path"/> and returns the body the cache holds.</summary>
    public static async Task<string> WarmAsync(HttpClient client, CacheServer cache, string path, string host = Host)
    {
        var first = await CacheProbe.GetAsync(client, cache, path, host);
        Assert.False(first.Hit, $"{path}: the first GET through {cache.Name} should be a MISS");
        var second = await CacheProbe.GetAsync(client, cache, path, host);
        Assert.True(second.Hit, $"{path}: the second GET through {cache.Name} should be a HIT");
        Assert.Equal(first.Body, second.Body);
        return first.Body;
    }

    /// <summary>Asserts the next GET is a MISS served fresh by the origin.</summary>
    public static async Task AssertEvictedAsync(HttpClient client, CacheServer cache, string path, string cachedBody, string host = Host)
    {
        var next = await CacheProbe.GetAsync(client, cache, path, host);
        Assert.False(next.Hit, $"{path} is still cached in {cache.Name}");
        Assert.NotEqual(cachedBody, next.Body);
    }

    /// <summary>Asserts the page is still served from the cache.</summary>
    public static async Task AssertStillCachedAsync(HttpClient client, CacheServer cache, string path, string cachedBody, string host = Host)
    {
        var next = await CacheProbe.GetAsync(client, cache, path, host);
        Assert.True(next.Hit, $"{path} should still be cached in {cache.Name}");
        Assert.Equal(cachedBody, next.Body);
    }
}

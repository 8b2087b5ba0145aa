namespace CachePurge.Testing;

/// <summary>Plain-HTTP helpers to look at a cache from the outside, with an explicit Host header.</summary>
public static class CacheProbe
{
    /// <summary>
    /// GETs <paramref name="path"/> through <paramref name="cache"/> with <c>Host: <paramref name="host"/></c>.
    /// Hit is true when the cache says so: Varnish <c>X-Cache: HIT</c>, Squid <c>X-Cache: HIT from …</c>,
    /// nginx <c>X-Cache: HIT</c> (<c>$upstream_cache_status</c>). Fails on a non-200 answer.
    /// </summary>
    public static async Task<(bool Hit, string Body)> GetAsync(HttpClient client, CacheServer cache, string path, string host)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cache.BaseUrl, path));
        request.Headers.Host = host;
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"GET {path} (Host: {host}) through {cache} returned {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
        }

        return (IsHit(response), body);
    }

    /// <summary>
    /// Sends <paramref name="method"/> (PURGE, BAN, GET /purge/…) to <paramref name="path"/> on
    /// <paramref name="cache"/> with <c>Host: <paramref name="host"/></c> and extra headers; the caller disposes the response.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        CacheServer cache,
        HttpMethod method,
        string path,
        string host,
        params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);

        using var request = new HttpRequestMessage(method, new Uri(cache.BaseUrl, path));
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        return response;
    }

    /// <summary>True when the response's X-Cache header starts with HIT.</summary>
    public static bool IsHit(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("X-Cache", out var values)
            && values.Any(static value => value.StartsWith("HIT", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An HttpClient that talks straight to loopback caches: no proxy, no redirects, no cookies.</summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
}

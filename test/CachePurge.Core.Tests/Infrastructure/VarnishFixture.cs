namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>One TestOrigin + one real VarnishServer per test collection "varnish".</summary>
public sealed class VarnishFixture : IAsyncLifetime
{
    private TestOrigin? _origin;
    private VarnishServer? _cache;
    private HttpClient? _client;

    public TestOrigin Origin => _origin ?? throw new InvalidOperationException("VarnishFixture not initialized.");

    public VarnishServer Cache => _cache ?? throw new InvalidOperationException("VarnishFixture not initialized.");

    /// <summary>Plain client for probing (no proxy, no redirects, no cookies).</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("VarnishFixture not initialized.");

    public async Task InitializeAsync()
    {
        _client = CacheProbe.CreateClient();
        _origin = await TestOrigin.StartAsync().ConfigureAwait(false);
        _cache = await VarnishServer.StartAsync(_origin).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_cache is not null)
        {
            await _cache.DisposeAsync().ConfigureAwait(false);
        }

        if (_origin is not null)
        {
            await _origin.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
    }
}

namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>One TestOrigin + one real SquidServer per test collection "squid".</summary>
public sealed class SquidFixture : IAsyncLifetime
{
    private TestOrigin? _origin;
    private SquidServer? _cache;
    private HttpClient? _client;

    public TestOrigin Origin => _origin ?? throw new InvalidOperationException("SquidFixture not initialized.");

    public SquidServer Cache => _cache ?? throw new InvalidOperationException("SquidFixture not initialized.");

    /// <summary>Plain client for probing (no proxy, no redirects, no cookies).</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("SquidFixture not initialized.");

    public async Task InitializeAsync()
    {
        _client = CacheProbe.CreateClient();
        _origin = await TestOrigin.StartAsync().ConfigureAwait(false);
        _cache = await SquidServer.StartAsync(_origin).ConfigureAwait(false);
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

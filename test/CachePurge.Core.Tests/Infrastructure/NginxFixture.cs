namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>One TestOrigin + one real NginxServer per test collection "nginx".</summary>
public sealed class NginxFixture : IAsyncLifetime
{
    private TestOrigin? _origin;
    private NginxServer? _cache;
    private HttpClient? _client;

    public TestOrigin Origin => _origin ?? throw new InvalidOperationException("NginxFixture not initialized.");

    public NginxServer Cache => _cache ?? throw new InvalidOperationException("NginxFixture not initialized.");

    /// <summary>Plain client for probing (no proxy, no redirects, no cookies).</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("NginxFixture not initialized.");

    public async Task InitializeAsync()
    {
        _client = CacheProbe.CreateClient();
        _origin = await TestOrigin.StartAsync().ConfigureAwait(false);
        _cache = await NginxServer.StartAsync(_origin).ConfigureAwait(false);
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

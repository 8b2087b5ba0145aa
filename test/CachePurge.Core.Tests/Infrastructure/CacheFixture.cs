namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>One <see cref="TestOrigin"/> and one real cache in front of it, shared by a test collection.</summary>
public abstract class CacheFixture<TServer> : IAsyncLifetime
    where TServer : CacheServer
{
    private TestOrigin? _origin;
    private TServer? _cache;

    public TestOrigin Origin => _origin ?? throw new InvalidOperationException("The fixture is not initialized.");

    public TServer Cache => _cache ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Plain client for probing (no proxy, no redirects, no cookies).</summary>
    public HttpClient Client { get; } = CacheProbe.CreateClient();

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync();
        _cache = await StartCacheAsync(_origin);
    }

    public async Task DisposeAsync()
    {
        if (_cache is not null)
        {
            await _cache.DisposeAsync();
        }

        if (_origin is not null)
        {
            await _origin.DisposeAsync();
        }

        Client.Dispose();
    }

    protected abstract Task<TServer> StartCacheAsync(TestOrigin origin);
}

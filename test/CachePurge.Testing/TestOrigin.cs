using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CachePurge.Testing;

/// <summary>
/// A real Kestrel origin on 127.0.0.1 behind the caches under test. Every GET/HEAD on any path
/// returns 200 text <c>path=&lt;raw path+query&gt; served=&lt;n&gt; id=&lt;guid&gt;</c> (new on every request)
/// with <c>Cache-Control: public, max-age=3600</c>. <c>?tags=a,b</c> (or <see cref="SetTags"/>)
/// adds <c>xkey: a b</c> and <c>Surrogate-Key: a b</c>.
/// </summary>
public sealed class TestOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _tagsByPath = new(StringComparer.Ordinal);
    private int _served;
    private long _delayTicks;
    private int _disposed;

    private TestOrigin(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public int Port { get; private set; }

    /// <summary>Delay applied before every response (a slow origin). Zero by default.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>All GET/HEAD requests served so far.</summary>
    public int TotalRequests => Volatile.Read(ref _served);

    /// <summary>Requests served for this exact raw path and query, e.g. <c>/a/b?x=1</c>.</summary>
    public int RequestCount(string pathAndQuery) =>
        _counts.TryGetValue(pathAndQuery, out var count) ? count : 0;

    /// <summary>Makes responses for <paramref name="path"/> (path only, no query) carry these tags.</summary>
    public void SetTags(string path, params string[] tags) => _tagsByPath[path] = tags;

    public static async Task<TestOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        var origin = new TestOrigin(app);
        app.Run(origin.HandleAsync);

        await app.StartAsync().ConfigureAwait(false);

        var address = app.Urls.Single();
        var port = new Uri(address).Port;
        origin.Port = port;
        origin.BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        return origin;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var delay = Delay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var pathAndQuery = string.IsNullOrEmpty(rawTarget)
            ? request.Path.ToUriComponent() + request.QueryString.ToUriComponent()
            : rawTarget;

        var served = Interlocked.Increment(ref _served);
        _counts.AddOrUpdate(pathAndQuery, 1, static (_, count) => count + 1);

        var tags = TagsFor(request);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "public, max-age=3600";
        if (tags.Length > 0)
        {
            var joined = string.Join(' ', tags);
            response.Headers["xkey"] = joined;
            response.Headers["Surrogate-Key"] = joined;
        }

        var body = $"path={pathAndQuery} served={served} id={Guid.NewGuid():N}";
        response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        if (HttpMethods.IsGet(request.Method))
        {
            await response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private string[] TagsFor(HttpRequest request)
    {
        if (request.Query.TryGetValue("tags", out var fromQuery) && fromQuery.Count > 0)
        {
            return fromQuery
                .SelectMany(static value => (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToArray();
        }

        return _tagsByPath.TryGetValue(request.Path.Value ?? "/", out var mapped) ? mapped : [];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

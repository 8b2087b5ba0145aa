using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server that plays a cache whose answers a test scripts (a status, a delay, a
/// gate that holds requests): for the behaviours no real cache can be made to show on demand.
/// Every request it receives is recorded.
/// </summary>
public sealed class ScriptedCacheServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ScriptedCacheServer(WebApplication app) => _app = app;

    /// <summary>Decides the answer to each request; the default answers 200.</summary>
    public Func<RecordedRequest, int> Respond { get; set; } = _ => 200;

    /// <summary>Headers added to every answer (e.g. Retry-After).</summary>
    public Dictionary<string, string> ResponseHeaders { get; } = [];

    /// <summary>Time to wait before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, requests wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<ScriptedCacheServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new ScriptedCacheServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Host.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _requests.Enqueue(request);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        foreach (var (name, value) in ResponseHeaders)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = Respond(request);
    }
}

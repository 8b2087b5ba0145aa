using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// A CDN's purge API on Kestrel on 127.0.0.1, written apart from the engine's clients so that the two are checked
/// against each other. Subclasses enforce one vendor's documented contract; this records every call and answers
/// with failures a test injects (429, 5xx), where the vendor would: after the credentials and the body are checked.
/// </summary>
public abstract class CdnContractServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<CdnCall> _calls = [];
    private readonly Queue<HttpStatusCode> _injected = [];
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How long each answer takes, as a distant CDN's would: zero unless a test sets it.</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>Every call that reached the server, in order, with the status it was answered.</summary>
    public IReadOnlyList<CdnCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The items of the calls of <paramref name="member"/> that succeeded.</summary>
    public IReadOnlyList<string> Purged(string member) => [.. Calls.Where(c => (int)c.Status is >= 200 and < 300 && c.Member == member).SelectMany(c => c.Items)];

    public int CountStatus(HttpStatusCode status) => Calls.Count(c => c.Status == status);

    /// <summary>Answers the next <paramref name="count"/> valid calls with <paramref name="status"/>, without purging.</summary>
    public void Inject(HttpStatusCode status, int count)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _injected.Enqueue(status);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <param name="certificate">Serves https with it (for a client that insists on https, as Entra ID's does); http when null.</param>
    protected static async Task<T> StartAsync<T>(T server, X509Certificate2? certificate = null)
        where T : CdnContractServer
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{new Uri(app.Urls.First()).Port}/");
        return server;
    }

    /// <summary>The vendor's answer to one call.</summary>
    protected abstract Task<CdnAnswer> AnswerAsync(HttpContext context);

    /// <summary>Takes the next injected failure, if a test injected one.</summary>
    protected bool TryTakeInjected(out HttpStatusCode status)
    {
        lock (_lock)
        {
            return _injected.TryDequeue(out status);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay);
        }

        var answer = await AnswerAsync(context);
        lock (_lock)
        {
            _calls.Add(new CdnCall(answer.Status, answer.Member, answer.Items ?? [], answer.Soft));
        }

        context.Response.StatusCode = (int)answer.Status;
        if (answer.Xml is not null)
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(answer.Xml);
        }
        else if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body.ToJsonString());
        }
    }
}

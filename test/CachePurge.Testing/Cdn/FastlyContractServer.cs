using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// Fastly's purge API as documented (https://www.fastly.com/documentation/reference/api/purging/). It enforces: a
/// <c>Fastly-Key</c> (401 when missing or wrong); <c>POST /purge/{url}</c> for a URL without scheme on one of the
/// service's domains; <c>POST /service/{id}/purge</c> with 1 to 256 keys in <c>Surrogate-Key</c>; <c>POST
/// /service/{id}/purge_all</c>, which cannot be soft and counts against 1,000 API writes an hour (429 beyond).
/// <c>Fastly-Soft-Purge: 1</c> is recorded on each call. Errors have Fastly's <c>{"msg":…,"detail":…}</c> shape.
/// With the same key rule it answers a connection check's reads: <c>GET /tokens/self</c> with the token's
/// <see cref="Scope"/> (https://www.fastly.com/documentation/reference/api/auth-tokens/user/), and <c>GET /service/{id}</c>
/// for its own service only (https://www.fastly.com/documentation/reference/api/services/service/). The scope is
/// enforced as documented: <c>purge_all</c> needs <c>purge_all</c> or <c>global</c>, URL and key purges
/// <c>purge_select</c> or <c>global</c>, and the service read <c>global</c> or <c>global:read</c> (403 otherwise).
/// </summary>
public sealed class FastlyContractServer : CdnContractServer
{
    public const int MaxKeysPerCall = 256;

    private readonly HashSet<string> _domains;
    private readonly ServerTokenBucket _writes = new(1_000, 1_000 / 3600.0);
    private long _purgeIds;

    private FastlyContractServer(string key, IEnumerable<string> domains)
    {
        Key = key;
        _domains = new HashSet<string>(domains, StringComparer.OrdinalIgnoreCase);
        ServiceId = "SU1Z0isxPaozGVKXdv0eY";
    }

    public string ServiceId { get; }

    /// <summary>The service's name, as <c>GET /service/{id}</c> answers it.</summary>
    public string ServiceName { get; } = "www.example.com";

    /// <summary>The one API token this server accepts.</summary>
    public string Key { get; }

    /// <summary>The token's space-delimited scopes, as <c>GET /tokens/self</c> answers them: <c>global</c> unless a test sets others.</summary>
    public string Scope { get; set; } = "global";

    public static Task<FastlyContractServer> StartAsync(string key, params string[] domains) =>
        StartAsync(new FastlyContractServer(key, domains));

    protected override Task<CdnAnswer> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var key = request.Headers["Fastly-Key"].ToString();
        if (key.Length == 0 || key != Key)
        {
            return Task.FromResult(Error(HttpStatusCode.Unauthorized, "Provided credentials are missing or invalid"));
        }

        var soft = request.Headers["Fastly-Soft-Purge"] == "1";
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        if (request.Method == "GET" && target == "/tokens/self")
        {
            return Task.FromResult(new CdnAnswer(HttpStatusCode.OK, new JsonObject { ["id"] = "5Yo3XXnrQpjc20u0ybrf2g", ["name"] = "cachepurge", ["scope"] = Scope, ["services"] = new JsonArray(ServiceId), ["customer_id"] = "x4xCwxxJxGCx123Rx5xTx", ["user_id"] = "2y4Lyq4sVQAyzpMd1clZNt" }, "token"));
        }

        if (request.Method == "GET" && target.StartsWith("/service/", StringComparison.Ordinal) && !target["/service/".Length..].Contains('/', StringComparison.Ordinal))
        {
            if (!HasScope("global", "global:read"))
            {
                return Task.FromResult(Forbidden("service"));
            }

            return Task.FromResult(target == $"/service/{ServiceId}"
                ? new CdnAnswer(HttpStatusCode.OK, new JsonObject { ["id"] = ServiceId, ["name"] = ServiceName, ["customer_id"] = "x4xCwxxJxGCx123Rx5xTx", ["type"] = "vcl", ["version"] = 1 }, "service")
                : Error(HttpStatusCode.NotFound, "Record not found", "Couldn't find Service '" + Uri.UnescapeDataString(target["/service/".Length..]) + "'", "service"));
        }

        if (request.Method != "POST")
        {
            return Task.FromResult(Error(HttpStatusCode.MethodNotAllowed, "Method not allowed"));
        }

        var all = target == $"/service/{ServiceId}/purge_all";
        if (!(all ? HasScope("global", "purge_all") : HasScope("global", "purge_select")))
        {
            return Task.FromResult(Forbidden(all ? "all" : "url"));
        }

        if (target.StartsWith("/purge/", StringComparison.Ordinal))
        {
            return Task.FromResult(PurgeUrl(Uri.UnescapeDataString(target["/purge/".Length..]), soft));
        }

        var service = $"/service/{ServiceId}/";
        if (!target.StartsWith(service, StringComparison.Ordinal))
        {
            return Task.FromResult(Error(HttpStatusCode.NotFound, "Record not found", "no such service"));
        }

        return Task.FromResult(target[service.Length..] switch
        {
            "purge" => PurgeKeys([.. request.Headers["Surrogate-Key"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)], soft),
            "purge_all" => PurgeAll(soft),
            _ => Error(HttpStatusCode.NotFound, "Record not found"),
        });
    }

    private CdnAnswer PurgeUrl(string url, bool soft)
    {
        var host = url.Split('/', 2)[0];
        if (!_domains.Contains(host) || url.Length == host.Length)
        {
            return Error(HttpStatusCode.NotFound, "Record not found", $"no service serves '{host}'", "url", [url], soft);
        }

        return Injected("url", [url], soft) ?? new CdnAnswer(HttpStatusCode.OK, new JsonObject { ["status"] = "ok", ["id"] = NewPurgeId() }, "url", [url], soft);
    }

    private CdnAnswer PurgeKeys(string[] keys, bool soft)
    {
        if (keys.Length is 0 or > MaxKeysPerCall)
        {
            return Error(HttpStatusCode.BadRequest, "Bad request", $"Surrogate-Key must list 1 to {MaxKeysPerCall} keys; it lists {keys.Length}", "keys", keys, soft);
        }

        var ids = new JsonObject();
        foreach (var key in keys)
        {
            ids[key] = NewPurgeId();
        }

        return Injected("keys", keys, soft) ?? new CdnAnswer(HttpStatusCode.OK, ids, "keys", keys, soft);
    }

    private CdnAnswer PurgeAll(bool soft)
    {
        if (soft)
        {
            return Error(HttpStatusCode.BadRequest, "Bad request", "purge_all cannot be soft", "all", ["*"], soft);
        }

        if (!_writes.TryTake(1, out _))
        {
            return Error(HttpStatusCode.TooManyRequests, "Too many requests", "1,000 API writes an hour", "all", ["*"]);
        }

        return Injected("all", ["*"], soft) ?? new CdnAnswer(HttpStatusCode.OK, new JsonObject { ["status"] = "ok" }, "all", ["*"]);
    }

    private CdnAnswer? Injected(string member, string[] items, bool soft) =>
        TryTakeInjected(out var status) ? Error(status, status == HttpStatusCode.TooManyRequests ? "Too many requests" : "Internal error", null, member, items, soft) : null;

    private bool HasScope(params string[] any) => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Intersect(any, StringComparer.Ordinal).Any();

    private static CdnAnswer Forbidden(string member) => Error(HttpStatusCode.Forbidden, "Forbidden", "the token's scope does not allow this", member);

    private string NewPurgeId() => $"108-1391560174-{Interlocked.Increment(ref _purgeIds)}";

    private static CdnAnswer Error(HttpStatusCode status, string message, string? detail = null, string member = "", string[]? items = null, bool soft = false) =>
        new(status, new JsonObject { ["msg"] = message, ["detail"] = detail }, member, items, soft);
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// bunny.net's purge API as documented: <c>POST /purge?url={url}</c> (https://docs.bunny.net/reference/purgepublic_indexpost),
/// <c>POST /pullzone/{id}/purgeCache</c> with an optional <c>{"CacheTag":"…"}</c>
/// (https://docs.bunny.net/reference/pullzonepublic_purgecachepostbytag) and <c>GET /pullzone/{id}</c>. It enforces: an
/// <c>AccessKey</c> (401 when missing or wrong); one absolute http(s) URL a purge, on one of the pull zone's hostnames
/// (400 otherwise); a known pull zone (404 with bunny.net's <c>{"ErrorKey","Field","Message"}</c>); a cache tag of at
/// most 1,024 bytes; and the account's rate limits (https://docs.bunny.net/docs/cdn-api-purge-rate-limits), 429 with
/// <c>Retry-After</c> beyond them. A URL counts as a prefix purge when it holds a <c>*</c>, or its path ends with
/// <c>/</c> without <c>exactPath=true</c>; other URLs and tags as exact purges; a purge of the whole pull zone as a
/// prefix purge. Calls are recorded as <c>url</c>, <c>prefix</c>, <c>tag</c> or <c>zone</c>, with the raw request
/// target of each in <see cref="Targets"/>.
/// </summary>
public sealed class BunnyContractServer : CdnContractServer
{
    public const int MaxTagBytes = 1_024;

    private readonly HashSet<string> _hostnames;
    private readonly ServerTokenBucket _exact;
    private readonly ServerTokenBucket _prefix;
    private readonly Lock _lock = new();
    private readonly List<string> _targets = [];

    private BunnyContractServer(string key, BunnyContractLimits limits, IEnumerable<string> hostnames)
    {
        Key = key;
        _hostnames = new HashSet<string>(hostnames, StringComparer.OrdinalIgnoreCase);
        _exact = new ServerTokenBucket(limits.ExactBurst, limits.ExactPerSecond);
        _prefix = new ServerTokenBucket(limits.PrefixBurst, limits.PrefixPerSecond);
    }

    /// <summary>The one API key this server accepts.</summary>
    public string Key { get; }

    public string PullZoneId { get; } = "123456";

    /// <summary>The pull zone's name, as <c>GET /pullzone/{id}</c> answers it.</summary>
    public string PullZoneName { get; } = "example-zone";

    /// <summary>The method and request target (path and query, as sent) of every call with the right key, in order.</summary>
    public IReadOnlyList<string> Targets
    {
        get
        {
            lock (_lock)
            {
                return [.. _targets];
            }
        }
    }

    public static Task<BunnyContractServer> StartAsync(string key, BunnyContractLimits limits, params string[] hostnames) =>
        StartAsync(new BunnyContractServer(key, limits, hostnames));

    protected override async Task<CdnAnswer> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var key = request.Headers["AccessKey"].ToString();
        if (key.Length == 0 || key != Key)
        {
            return Error(HttpStatusCode.Unauthorized, "unauthorized", "AccessKey", "Authorization has been denied for this request.");
        }

        lock (_lock)
        {
            _targets.Add($"{request.Method} {request.Path}{request.QueryString}");
        }

        var zone = $"/pullzone/{PullZoneId}";
        if (request.Path.StartsWithSegments("/pullzone", out var rest) && rest != zone["/pullzone".Length..] && rest != zone["/pullzone".Length..] + "/purgeCache")
        {
            return Error(HttpStatusCode.NotFound, "pullZone.not_found", "PullZone", "The requested Pull Zone was not found");
        }

        return (request.Method, request.Path.Value) switch
        {
            ("GET", var path) when path == zone => new CdnAnswer(HttpStatusCode.OK, new JsonObject
            {
                ["Id"] = long.Parse(PullZoneId, CultureInfo.InvariantCulture),
                ["Name"] = PullZoneName,
                ["OriginUrl"] = "https://origin.example.com",
                ["Hostnames"] = new JsonArray([.. _hostnames.Select(h => (JsonNode)new JsonObject { ["Value"] = h })]),
            }, "pullzone"),
            ("POST", "/purge") => PurgeUrl(context),
            ("POST", var path) when path == zone + "/purgeCache" => await PurgeCacheAsync(context),
            _ => Error(HttpStatusCode.NotFound, "route.not_found", "", $"No route for {request.Method} {request.Path}"),
        };
    }

    private CdnAnswer PurgeUrl(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["url"].Count != 1 || !Uri.TryCreate(query["url"].ToString(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return Error(HttpStatusCode.BadRequest, "url.invalid", "url", "One absolute http or https URL is required", "url", [.. query["url"].Select(u => u ?? "")]);
        }

        var raw = query["url"].ToString();
        if (!_hostnames.Contains(url.Authority))
        {
            return Error(HttpStatusCode.BadRequest, "url.hostname", "url", $"'{url.Authority}' is not a hostname of the pull zone", "url", [raw]);
        }

        var path = url.AbsolutePath;
        var prefix = raw.Contains('*', StringComparison.Ordinal) || (path.EndsWith('/') && query["exactPath"] != "true");
        var member = prefix ? "prefix" : "url";
        return Limited(context, prefix ? _prefix : _exact, member, [raw]) ?? new CdnAnswer(HttpStatusCode.OK, null, member, [raw]);
    }

    private async Task<CdnAnswer> PurgeCacheAsync(HttpContext context)
    {
        var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
        string? tag = null;
        if (text.Length > 0)
        {
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                return Error(HttpStatusCode.UnsupportedMediaType, "request.content_type", "", "The body must be application/json");
            }

            try
            {
                tag = (JsonNode.Parse(text) as JsonObject)?["CacheTag"]?.GetValue<string>();
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Error(HttpStatusCode.BadRequest, "request.invalid", "CacheTag", "The request body is not valid");
            }

            if (tag?.Length > MaxTagBytes)
            {
                return Error(HttpStatusCode.BadRequest, "cacheTag.too_long", "CacheTag", $"A cache tag has at most {MaxTagBytes} bytes", "tag", [tag]);
            }
        }

        // No tag, or an empty one, empties the whole pull zone.
        return string.IsNullOrEmpty(tag)
            ? Limited(context, _prefix, "zone", ["*"]) ?? new CdnAnswer(HttpStatusCode.NoContent, null, "zone", ["*"])
            : Limited(context, _exact, "tag", [tag]) ?? new CdnAnswer(HttpStatusCode.NoContent, null, "tag", [tag]);
    }

    /// <summary>A failure a test injected, or a 429 when the purge type's bucket is empty; null to purge.</summary>
    private CdnAnswer? Limited(HttpContext context, ServerTokenBucket bucket, string member, string[] items)
    {
        if (TryTakeInjected(out var injected))
        {
            if (injected != HttpStatusCode.TooManyRequests)
            {
                return Error(injected, "internal", "", "Internal error", member, items);
            }

            context.Response.Headers.RetryAfter = "1";
            return Error(injected, "purge.rate_limited", "", "Too many purge requests; retry after the time given", member, items);
        }

        if (!bucket.TryTake(1, out var wait))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Error(HttpStatusCode.TooManyRequests, "purge.rate_limited", "", "Too many purge requests; retry after the time given", member, items);
        }

        return null;
    }

    private static CdnAnswer Error(HttpStatusCode status, string errorKey, string field, string message, string member = "", string[]? items = null) =>
        new(status, new JsonObject { ["ErrorKey"] = errorKey, ["Field"] = field, ["Message"] = message }, member, items);
}

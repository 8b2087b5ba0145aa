using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// Akamai's Fast Purge API v3 as documented (https://techdocs.akamai.com/purge-cache/reference/api). It enforces: an
/// EdgeGrid signature checked by <see cref="EdgeGridVerifier"/> (401 <c>The signature does not match</c>, or an
/// unknown token; 400 <c>Invalid timestamp</c> more than 30 s from its clock, as Akamai's gateway answers a skewed
/// clock; 401 for a nonce used twice); <c>POST /ccu/v3/{invalidate|delete}/{url|tag|cpcode}/{staging|production}</c>
/// only; a body of at most 50 KB (413); <c>{"objects":[…]}</c> with absolute http(s) URLs, tags of at most 128
/// characters, or the account's CP codes; and the account's token buckets (429, with Akamai's <c>X-RateLimit-*</c>
/// headers and no <c>Retry-After</c>; a refused request takes no tokens). It answers <c>201</c> with a
/// <c>purgeId</c> and <c>estimatedSeconds</c>. With the same signature rules it answers the rate limit status read,
/// <c>POST /ccu/v3/rate-limit-status/{url|tag|cpcode}</c> (https://techdocs.akamai.com/purge-cache/reference/rate-limits).
/// </summary>
public sealed partial class AkamaiContractServer : CdnContractServer
{
    public const int MaxBodyBytes = 50_000;
    public const int MaxTagLength = 128;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _nonces = [];
    private readonly List<string> _purgePaths = [];
    private readonly HashSet<int> _cpCodes;
    private readonly AkamaiContractLimits _limits;
    private readonly ServerTokenBucket _requests;
    private readonly Dictionary<string, ServerTokenBucket> _objects;
    private readonly EdgeGridVerifier _verifier;
    private long _purgeIds;

    private AkamaiContractServer(AkamaiContractLimits limits, int[] cpCodes)
    {
        ClientToken = "akab-client-" + Guid.NewGuid().ToString("N");
        AccessToken = "akab-access-" + Guid.NewGuid().ToString("N");
        ClientSecret = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        _verifier = new EdgeGridVerifier(ClientToken, ClientSecret, AccessToken);
        _cpCodes = [.. cpCodes];
        _limits = limits;
        _requests = new ServerTokenBucket(limits.RequestBurst, limits.RequestsPerSecond);
        _objects = new(StringComparer.Ordinal)
        {
            ["url"] = new ServerTokenBucket(limits.UrlBurst, limits.UrlsPerSecond),
            ["tag"] = new ServerTokenBucket(limits.TagBurst, limits.TagsPerSecond),
            ["cpcode"] = new ServerTokenBucket(limits.CpCodeBurst, limits.CpCodesPerSecond),
        };
    }

    public string ClientToken { get; }

    public string AccessToken { get; }

    public string ClientSecret { get; }

    /// <summary>How far a request's timestamp may be from this server's clock.</summary>
    public TimeSpan MaxClockSkew { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How many seconds each purge is said to take.</summary>
    public int EstimatedSeconds { get; } = 5;

    /// <summary>The request paths of the purges it accepted, e.g. <c>/ccu/v3/invalidate/url/production</c>.</summary>
    public IReadOnlyList<string> PurgePaths
    {
        get
        {
            lock (_lock)
            {
                return [.. _purgePaths];
            }
        }
    }

    public static Task<AkamaiContractServer> StartAsync(AkamaiContractLimits? limits = null, params int[] cpCodes) =>
        StartAsync(new AkamaiContractServer(limits ?? AkamaiContractLimits.Documented, cpCodes));

    protected override async Task<CdnAnswer> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var rejection = _verifier.Check(request.Headers.Authorization.ToString(), request.Method, request.Scheme, request.Host.Value ?? "", target, headers, body, DateTimeOffset.UtcNow, MaxClockSkew);
        if (rejection is null && EdgeGridAuthorization.Parse(request.Headers.Authorization.ToString()) is { } authorization)
        {
            lock (_lock)
            {
                if (!_nonces.Add(authorization.Nonce))
                {
                    rejection = EdgeGridRejection.Deny("Nonce already used");
                }
            }
        }

        if (rejection is not null)
        {
            return new CdnAnswer(rejection.Status, new JsonObject { ["type"] = rejection.Type, ["title"] = rejection.Title, ["status"] = (int)rejection.Status, ["detail"] = rejection.Detail, ["instance"] = target, ["method"] = request.Method });
        }

        if (request.Method != "POST")
        {
            return Problem(HttpStatusCode.MethodNotAllowed, "Method not allowed", $"{request.Method} is not allowed");
        }

        if (RateLimitStatusPath().Match(target) is { Success: true } status)
        {
            RateLimitHeaders(context, status.Groups[1].Value);
            return new CdnAnswer(HttpStatusCode.OK, new JsonObject { ["httpStatus"] = 200 }, "rate-limit-status");
        }

        if (PurgePath().Match(target) is not { Success: true } route)
        {
            return Problem(HttpStatusCode.NotFound, "Not found", $"no Fast Purge operation at {target}");
        }

        var type = route.Groups["type"].Value;
        if (body.Length > MaxBodyBytes)
        {
            return Problem(HttpStatusCode.RequestEntityTooLarge, "Request entity too large", $"The request body is {body.Length} bytes; at most {MaxBodyBytes} are accepted", type);
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Problem(HttpStatusCode.UnsupportedMediaType, "Unsupported media type", "Content-Type must be application/json", type);
        }

        JsonArray? objects;
        try
        {
            objects = (JsonNode.Parse(body) as JsonObject)?["objects"] as JsonArray;
        }
        catch (JsonException)
        {
            objects = null;
        }

        if (objects is null || objects.Count == 0)
        {
            return Problem(HttpStatusCode.BadRequest, "Bad request", "the body must be {\"objects\":[…]} with at least one object", type);
        }

        string[] items;
        try
        {
            items = type == "cpcode"
                ? [.. objects.Select(o => o!.GetValue<int>().ToString(CultureInfo.InvariantCulture))]
                : [.. objects.Select(o => o!.GetValue<string>())];
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            return Problem(HttpStatusCode.BadRequest, "Bad request", $"objects of {type} must all be {(type == "cpcode" ? "numbers" : "strings")}", type);
        }

        var invalid = type switch
        {
            "url" => items.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } bad ? (HttpStatusCode.BadRequest, "bad URL", $"'{bad}' is not an absolute http or https URL") : default,
            "tag" => items.FirstOrDefault(t => t.Length is 0 or > MaxTagLength) is { } bad ? (HttpStatusCode.BadRequest, "bad cache tag", $"cache tags have 1 to {MaxTagLength} characters; '{bad}' has {bad.Length}") : default,
            _ => items.FirstOrDefault(c => !_cpCodes.Contains(int.Parse(c, CultureInfo.InvariantCulture))) is { } bad ? (HttpStatusCode.Forbidden, "unauthorized cpcode", bad) : default,
        };
        if (invalid.Item2 is not null)
        {
            return Problem(invalid.Item1, invalid.Item2, invalid.Item3, type, items);
        }

        if (TryTakeInjected(out var injected))
        {
            if (injected == HttpStatusCode.TooManyRequests)
            {
                RateLimitHeaders(context, type);
                return Problem(injected, "Rate Limit exceeded", "", type, items);
            }

            return Problem(injected, "internal error", "If problem persists over multiple requests, please contact Customer Care", type, items);
        }

        // Both buckets must cover the request, and a refused request takes no tokens: the two are taken together.
        lock (_lock)
        {
            if (!_objects[type].TryTake(items.Length, out _))
            {
                RateLimitHeaders(context, type);
                return Problem(HttpStatusCode.TooManyRequests, $"{type.ToUpperInvariant()} Rate Limit exceeded", "", type, items);
            }

            if (!_requests.TryTake(1, out _))
            {
                _objects[type].Give(items.Length);
                RateLimitHeaders(context, type);
                return Problem(HttpStatusCode.TooManyRequests, "Rate Limit exceeded", "", type, items);
            }

            _purgePaths.Add(target);
        }

        var id = Interlocked.Increment(ref _purgeIds);
        return new CdnAnswer(
            HttpStatusCode.Created,
            new JsonObject
            {
                ["httpStatus"] = 201,
                ["detail"] = "Request accepted",
                ["estimatedSeconds"] = EstimatedSeconds,
                ["purgeId"] = $"edcp-{id:D6}",
                ["supportId"] = $"17PY{id:D12}",
            },
            type,
            items);
    }

    private void RateLimitHeaders(HttpContext context, string type)
    {
        var (burst, perSecond) = type switch
        {
            "tag" => (_limits.TagBurst, _limits.TagsPerSecond),
            "cpcode" => (_limits.CpCodeBurst, _limits.CpCodesPerSecond),
            _ => (_limits.UrlBurst, _limits.UrlsPerSecond),
        };
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = _limits.RequestBurst.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit-Per-Second"] = _limits.RequestsPerSecond.ToString("0.00", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = _requests.Peek().ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit-Objects"] = burst.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit-Per-Second-Objects"] = perSecond.ToString("0.00", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining-Objects"] = _objects[type].Peek().ToString(CultureInfo.InvariantCulture);
    }

    private static CdnAnswer Problem(HttpStatusCode status, string title, string detail, string member = "", string[]? items = null) => new(
        status,
        new JsonObject
        {
            ["supportId"] = "17PY" + Guid.NewGuid().ToString("N")[..12],
            ["title"] = title,
            ["httpStatus"] = (int)status,
            ["detail"] = detail,
            ["describedBy"] = "https://techdocs.akamai.com/purge-cache/reference/api-errors",
        },
        member,
        items);

    [GeneratedRegex("^/ccu/v3/(?<action>invalidate|delete)/(?<type>url|tag|cpcode)/(?<network>staging|production)$")]
    private static partial Regex PurgePath();

    [GeneratedRegex("^/ccu/v3/rate-limit-status/(url|tag|cpcode)$")]
    private static partial Regex RateLimitStatusPath();
}

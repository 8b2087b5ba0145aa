using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// Cloudflare's purge API as documented (https://developers.cloudflare.com/api/resources/cache/methods/purge/ and the
/// limits of https://developers.cloudflare.com/cache/how-to/purge-cache/). It enforces: <c>POST
/// /client/v4/zones/{zone}/purge_cache</c> only, a Bearer token (401 when missing, 403 when wrong), a JSON body with
/// exactly one of <c>files</c>, <c>tags</c>, <c>hosts</c>, <c>prefixes</c> or <c>purge_everything</c>, at most
/// <see cref="ItemsPerCall"/> items a call (400), absolute http(s) URLs in <c>files</c>, and the plan's rate limits
/// (429): single-file purges in URLs per second, the others in one token bucket. Every answer has Cloudflare's envelope.
/// With the same token rules it answers the reads of a connection check: <c>GET /client/v4/user/tokens/verify</c>
/// (https://developers.cloudflare.com/api/resources/user/subresources/tokens/methods/verify/) and <c>GET
/// /client/v4/zones/{zone}</c> for its own zone only (https://developers.cloudflare.com/api/resources/zones/methods/get/).
/// </summary>
public sealed class CloudflareContractServer : CdnContractServer
{
    private static readonly string[] Members = ["files", "tags", "hosts", "prefixes", "purge_everything"];

    private readonly ServerTokenBucket _urls;
    private readonly ServerTokenBucket _bulk;

    private const string VerifyPath = "/client/v4/user/tokens/verify";

    private CloudflareContractServer(string token, CloudflareContractLimits limits)
    {
        ZoneId = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        TokenId = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        Token = token;
        ItemsPerCall = limits.ItemsPerCall;
        _urls = new ServerTokenBucket(limits.UrlsPerSecond, limits.UrlsPerSecond);
        _bulk = new ServerTokenBucket(limits.BulkBurst, limits.BulkPerSecond);
    }

    public string ZoneId { get; }

    /// <summary>The name of the one zone, as <c>GET /zones/{zone}</c> answers it.</summary>
    public string ZoneName { get; } = "example.com";

    /// <summary>The token's identifier, as <c>GET /user/tokens/verify</c> answers it.</summary>
    public string TokenId { get; }

    /// <summary>The one API token this server accepts.</summary>
    public string Token { get; }

    public int ItemsPerCall { get; }

    public static Task<CloudflareContractServer> StartAsync(string token, CloudflareContractLimits limits) =>
        StartAsync(new CloudflareContractServer(token, limits));

    protected override async Task<CdnAnswer> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var read = request.Method == "GET" && (request.Path == VerifyPath || request.Path == $"/client/v4/zones/{ZoneId}");
        if (!read && (request.Method != "POST" || request.Path != $"/client/v4/zones/{ZoneId}/purge_cache"))
        {
            return Error(HttpStatusCode.BadRequest, 7003, $"Could not route to {request.Path}, perhaps your object identifier is invalid?");
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return Error(HttpStatusCode.Unauthorized, 10000, "Authentication error");
        }

        if (authorization != "Bearer " + Token)
        {
            return Error(HttpStatusCode.Forbidden, 9109, "Invalid access token");
        }

        if (read)
        {
            return request.Path == VerifyPath
                ? Success("verify", new JsonObject { ["id"] = TokenId, ["status"] = "active" })
                : Success("zone", new JsonObject { ["id"] = ZoneId, ["name"] = ZoneName, ["status"] = "active" });
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Error(HttpStatusCode.BadRequest, 6003, "Invalid request headers: Content-Type must be application/json");
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync()) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var present = body is null ? [] : Members.Where(body.ContainsKey).ToArray();
        if (body is null || present.Length != 1 || body.Count != 1)
        {
            return Error(HttpStatusCode.BadRequest, 1012, "Request must contain one of \"purge_everything\", \"files\", \"tags\", \"hosts\" or \"prefixes\"");
        }

        var member = present[0];
        string[] items;
        if (member == "purge_everything")
        {
            if (body[member]?.GetValueKind() != JsonValueKind.True)
            {
                return Error(HttpStatusCode.BadRequest, 1012, "purge_everything must be true");
            }

            items = ["*"];
        }
        else
        {
            if (body[member] is not JsonArray array || array.Count == 0)
            {
                return Error(HttpStatusCode.BadRequest, 1012, $"{member} must be a non-empty array");
            }

            // files may be a URL or {"url": …, "headers": {…}}.
            items = [.. array.Select(i => i is JsonObject o ? o["url"]?.GetValue<string>() ?? "" : i?.GetValue<string>() ?? "")];
            if (items.Length > ItemsPerCall)
            {
                return Error(HttpStatusCode.BadRequest, 1015, $"Only {ItemsPerCall} {member} can be purged in one request; this one has {items.Length}", member, items);
            }

            if (member == "files" && items.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } bad)
            {
                return Error(HttpStatusCode.BadRequest, 1016, $"'{bad}' is not an absolute http or https URL", member, items);
            }
        }

        if (TryTakeInjected(out var injected))
        {
            if (injected == HttpStatusCode.TooManyRequests)
            {
                context.Response.Headers.RetryAfter = "1";
                return Error(injected, 971, "Please wait and consider throttling your request speed", member, items);
            }

            return Error(injected, 10013, "Internal error", member, items);
        }

        var bucket = member == "files" ? _urls : _bulk;
        if (!bucket.TryTake(member == "files" ? items.Length : 1, out var wait))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Error(HttpStatusCode.TooManyRequests, 971, "Please wait and consider throttling your request speed", member, items);
        }

        return Success(member, new JsonObject { ["id"] = ZoneId }, items);
    }

    private static CdnAnswer Success(string member, JsonObject result, string[]? items = null) => new(
        HttpStatusCode.OK,
        new JsonObject
        {
            ["success"] = true,
            ["errors"] = new JsonArray(),
            ["messages"] = new JsonArray(),
            ["result"] = result,
        },
        member,
        items);

    private static CdnAnswer Error(HttpStatusCode status, int code, string message, string member = "", string[]? items = null) => new(
        status,
        new JsonObject
        {
            ["success"] = false,
            ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
            ["messages"] = new JsonArray(),
            ["result"] = null,
        },
        member,
        items);
}

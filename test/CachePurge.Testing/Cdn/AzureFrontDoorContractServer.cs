using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// Azure Front Door Standard/Premium's purge through Azure Resource Manager, and the Entra ID token endpoint that
/// signs its callers in, on https with <see cref="TestCertificate"/>. As documented:
/// <list type="bullet">
/// <item><c>POST /{tenant}/oauth2/v2.0/token</c> (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
/// the client-credentials grant for <see cref="ClientId"/> with <see cref="ClientSecret"/> and the scope
/// <c>https://management.azure.com/.default</c>; a wrong secret is answered 401 <c>invalid_client</c> (AADSTS7000215).</item>
/// <item><c>POST …/profiles/{profile}/afdEndpoints/{endpoint}/purge?api-version=…</c>
/// (https://learn.microsoft.com/rest/api/frontdoor/azurefrontdoorstandardpremium/afd-endpoints/purge-content): a Bearer
/// token this server issued (401 otherwise), JSON <c>contentPaths</c> (1 to <see cref="AzureFrontDoorContractLimits.PathsPerCall"/>
/// paths starting with '/') and <c>domains</c> of the endpoint (400 otherwise), ARM's write bucket (429 with
/// <c>Retry-After</c>, https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling);
/// answered <c>202 Accepted</c> with <c>Azure-AsyncOperation</c>, <c>Location</c> and <c>Retry-After: 1</c>.</item>
/// <item><c>GET …/operationresults/{id}</c> (https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations):
/// <c>InProgress</c> until <see cref="AzureFrontDoorContractLimits.CompletionDelay"/> has passed, then <c>Succeeded</c>,
/// or <c>Failed</c> for operations a test asked to fail.</item>
/// <item><c>GET …/afdEndpoints/{endpoint}</c>: the endpoint resource with its host name.</item>
/// </list>
/// </summary>
public sealed class AzureFrontDoorContractServer : CdnContractServer
{
    public const string Scope = "https://management.azure.com/.default";

    private readonly ConcurrentDictionary<string, byte> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly ServerTokenBucket _writes;
    private readonly string[] _domains;
    private int _failNext;

    private AzureFrontDoorContractServer(string clientSecret, string[] domains, AzureFrontDoorContractLimits limits)
    {
        ClientSecret = clientSecret;
        Limits = limits;
        _domains = domains;
        _writes = new ServerTokenBucket(limits.WriteBurst, limits.WritesPerSecond);
    }

    public string TenantId { get; } = Guid.NewGuid().ToString();

    public string ClientId { get; } = Guid.NewGuid().ToString();

    /// <summary>The one client secret the token endpoint accepts.</summary>
    public string ClientSecret { get; }

    public string SubscriptionId { get; } = Guid.NewGuid().ToString();

    public string ResourceGroup { get; } = "rg-site";

    public string Profile { get; } = "profile-site";

    public string Endpoint { get; } = "endpoint-site";

    /// <summary>The endpoint's host name, as its resource answers it.</summary>
    public string HostName => $"{Endpoint}-abcdefgh.z01.azurefd.net";

    public AzureFrontDoorContractLimits Limits { get; }

    /// <summary>How many operations were accepted, and how many of them are not done yet.</summary>
    public int OperationCount => _operations.Count;

    /// <summary>The purges accepted, in no order: their content paths and domains.</summary>
    public IReadOnlyList<(string[] Paths, string[] Domains)> Accepted => [.. _operations.Values.Select(o => (o.Paths, o.Domains))];

    public int OperationsInProgress => _operations.Values.Count(o => o.Status(DateTimeOffset.UtcNow) == "InProgress");

    /// <summary>Where the ARM and token endpoints are: the settings' base URL and authority host.</summary>
    public string ResourceManager => BaseUrl.ToString().TrimEnd('/');

    public static Task<AzureFrontDoorContractServer> StartAsync(string clientSecret, string[] domains, AzureFrontDoorContractLimits? limits = null) =>
        StartAsync(new AzureFrontDoorContractServer(clientSecret, domains, limits ?? AzureFrontDoorContractLimits.Documented), TestCertificate.Certificate);

    /// <summary>The next <paramref name="count"/> accepted purges end <c>Failed</c> instead of <c>Succeeded</c>.</summary>
    public void FailNextOperations(int count) => Interlocked.Exchange(ref _failNext, count);

    private string ResourcePath => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Cdn/profiles/{Profile}/afdEndpoints/{Endpoint}";

    private string OperationsPath => $"/subscriptions/{SubscriptionId}/providers/Microsoft.Cdn/locations/global/operationresults/";

    protected override async Task<CdnAnswer> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (request.Method == "POST" && path == $"/{TenantId}/oauth2/v2.0/token")
        {
            return await TokenAsync(request);
        }

        if (request.Method == "GET" && path == $"/{TenantId}/v2.0/.well-known/openid-configuration")
        {
            var authority = $"{ResourceManager}/{TenantId}";
            return new CdnAnswer(HttpStatusCode.OK, new JsonObject
            {
                ["token_endpoint"] = $"{authority}/oauth2/v2.0/token",
                ["authorization_endpoint"] = $"{authority}/oauth2/v2.0/authorize",
                ["issuer"] = $"{authority}/v2.0",
            }, "openid-configuration");
        }

        var purge = request.Method == "POST" && path.Equals(ResourcePath + "/purge", StringComparison.OrdinalIgnoreCase);
        var read = request.Method == "GET" && path.Equals(ResourcePath, StringComparison.OrdinalIgnoreCase);
        var operation = request.Method == "GET" && path.StartsWith(OperationsPath, StringComparison.OrdinalIgnoreCase);
        if (!purge && !read && !operation)
        {
            return ArmError(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource at '{path}' was not found.");
        }

        // ARM checks the token before anything else.
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return ArmError(HttpStatusCode.Unauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.ContainsKey(authorization["Bearer ".Length..]))
        {
            return ArmError(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "The access token is invalid.");
        }

        if (request.Query["api-version"] is not [{ Length: > 0 } version] || !DateOnly.TryParseExact(version[..Math.Min(10, version.Length)], "yyyy-MM-dd", out _))
        {
            return ArmError(HttpStatusCode.BadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (operation)
        {
            return AnswerOperation(context, path[OperationsPath.Length..]);
        }

        if (read)
        {
            return new CdnAnswer(HttpStatusCode.OK, new JsonObject
            {
                ["id"] = ResourcePath,
                ["name"] = Endpoint,
                ["type"] = "Microsoft.Cdn/profiles/afdendpoints",
                ["location"] = "Global",
                ["properties"] = new JsonObject
                {
                    ["hostName"] = HostName,
                    ["enabledState"] = "Enabled",
                    ["provisioningState"] = "Succeeded",
                    ["deploymentStatus"] = "Succeeded",
                },
            }, "endpoint");
        }

        return await PurgeAsync(context, version);
    }

    private async Task<CdnAnswer> TokenAsync(HttpRequest request)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        if (form is null || form["grant_type"] != "client_credentials")
        {
            return TokenError(HttpStatusCode.BadRequest, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
        }

        if (form["client_id"] != ClientId)
        {
            return TokenError(HttpStatusCode.BadRequest, "unauthorized_client", $"AADSTS700016: Application with identifier '{form["client_id"]}' was not found in the directory.");
        }

        if (form["client_secret"] != ClientSecret)
        {
            return TokenError(HttpStatusCode.Unauthorized, "invalid_client", $"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{ClientId}'.");
        }

        if (form["scope"] != Scope)
        {
            return TokenError(HttpStatusCode.BadRequest, "invalid_scope", $"AADSTS1002012: The provided value for scope {form["scope"]} is not valid.");
        }

        var token = "afd-" + Guid.NewGuid().ToString("N");
        _issued[token] = 0;
        return new CdnAnswer(HttpStatusCode.OK, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
        }, "token");
    }

    private async Task<CdnAnswer> PurgeAsync(HttpContext context, string version)
    {
        var request = context.Request;
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return ArmError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "The content media type is not supported. Content-Type must be 'application/json'.");
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

        if (body?["contentPaths"] is not JsonArray pathArray || pathArray.Count == 0 || pathArray.Any(p => p?.GetValueKind() != JsonValueKind.String))
        {
            return ArmError(HttpStatusCode.BadRequest, "BadRequest", "contentPaths is required: an array of paths to purge.", "contentPaths");
        }

        string[] paths = [.. pathArray.Select(p => p!.GetValue<string>())];
        string[] domains = body["domains"] is JsonArray domainArray ? [.. domainArray.Select(d => d?.GetValue<string>() ?? "")] : [];
        if (paths.Length > Limits.PathsPerCall)
        {
            return ArmError(HttpStatusCode.BadRequest, "BadRequest", $"A purge takes at most {Limits.PathsPerCall} content paths; this one has {paths.Length}.", "contentPaths", paths);
        }

        if (paths.FirstOrDefault(p => !p.StartsWith('/') || p.Contains('?')) is { } bad)
        {
            return ArmError(HttpStatusCode.BadRequest, "BadRequest", $"The content path '{bad}' is not valid: it must start with '/' and hold no query string.", "contentPaths", paths);
        }

        if (domains.FirstOrDefault(d => !_domains.Contains(d, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return ArmError(HttpStatusCode.BadRequest, "BadRequest", $"The domain '{unknown}' is not associated with the endpoint {Endpoint}.", "contentPaths", paths);
        }

        if (TryTakeInjected(out var injected))
        {
            if (injected == HttpStatusCode.TooManyRequests)
            {
                context.Response.Headers.RetryAfter = "1";
                return ArmError(injected, "TooManyRequests", "The request is throttled.", "contentPaths", paths);
            }

            return ArmError(injected, "InternalServerError", "An internal error occurred.", "contentPaths", paths);
        }

        if (!_writes.TryTake(1, out var wait))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-ms-ratelimit-remaining-subscription-writes"] = "0";
            return ArmError(HttpStatusCode.TooManyRequests, "SubscriptionRequestsThrottled", "Number of 'write' requests for subscription exceeded the limit.", "contentPaths", paths);
        }

        var id = Guid.NewGuid().ToString();
        var fails = Interlocked.Decrement(ref _failNext) >= 0;
        _operations[id] = new Operation(DateTimeOffset.UtcNow + Limits.CompletionDelay, fails, paths, domains);
        var status = $"{ResourceManager}{OperationsPath}{id}?api-version={version}";
        context.Response.Headers["Azure-AsyncOperation"] = status;
        context.Response.Headers.Location = status;
        context.Response.Headers.RetryAfter = "1";
        return new CdnAnswer(HttpStatusCode.Accepted, null, "contentPaths", paths);
    }

    private CdnAnswer AnswerOperation(HttpContext context, string id)
    {
        if (!_operations.TryGetValue(id, out var operation))
        {
            return ArmError(HttpStatusCode.NotFound, "OperationNotFound", $"The operation '{id}' was not found.", "operation");
        }

        var status = operation.Status(DateTimeOffset.UtcNow);
        var body = new JsonObject { ["name"] = id, ["status"] = status };
        if (status == "InProgress")
        {
            context.Response.Headers.RetryAfter = "1";
        }
        else if (status == "Failed")
        {
            body["error"] = new JsonObject { ["code"] = "PurgeFailed", ["message"] = "The purge could not be completed." };
        }

        return new CdnAnswer(HttpStatusCode.OK, body, "operation", [id, status]);
    }

    private static CdnAnswer ArmError(HttpStatusCode status, string code, string message, string member = "", string[]? items = null) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, member, items);

    private static CdnAnswer TokenError(HttpStatusCode status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description, ["error_codes"] = new JsonArray(int.Parse(description[6..description.IndexOf(':')], CultureInfo.InvariantCulture)) }, "token");

    private sealed record Operation(DateTimeOffset DoneAt, bool Fails, string[] Paths, string[] Domains)
    {
        public string Status(DateTimeOffset now) => now < DoneAt ? "InProgress" : Fails ? "Failed" : "Succeeded";
    }
}

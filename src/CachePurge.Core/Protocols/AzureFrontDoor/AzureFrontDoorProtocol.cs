using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;

namespace CachePurge.Core.Protocols.AzureFrontDoor;

/// <summary>
/// Azure Front Door Standard/Premium's purge, through Azure Resource Manager with an Entra ID token from
/// Azure.Identity: <c>POST {arm}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Cdn/profiles/{profile}/afdEndpoints/{endpoint}/purge</c>
/// with <c>{"contentPaths": [...], "domains": [...]}</c>, the site's paths (at most 100 a call) on the site's hosts;
/// every page of the site as <c>/*</c> (or <c>{pathBase}/*</c>). ARM answers <c>202 Accepted</c> with an
/// <c>Azure-AsyncOperation</c> to ask until its <c>status</c> is <c>Succeeded</c> (<c>Failed</c> or <c>Canceled</c>:
/// sent again). Writes are throttled per subscription: a bucket of 200 refilled at 10 a second.
/// https://learn.microsoft.com/rest/api/frontdoor/azurefrontdoorstandardpremium/afd-endpoints/purge-content
/// Its connection check reads the endpoint resource (<c>GET …/afdEndpoints/{endpoint}</c>) and shows its host name.
/// </summary>
internal sealed class AzureFrontDoorProtocol : CacheProtocol
{
    public const string ApiVersion = "2025-04-15";

    /// <summary>The public cloud's Azure Resource Manager, when no base URL is set.</summary>
    public const string PublicResourceManager = "https://management.azure.com";

    /// <summary>The most content paths one purge takes.</summary>
    public const int MaxPathsPerCall = 100;

    private static readonly string[] Scopes = ["https://management.azure.com/.default"];
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly SiteAddresses _site;
    private readonly Lazy<TokenCredential> _credential;
    private readonly Uri _endpointUri;
    private readonly Uri _purgeUri;

    public AzureFrontDoorProtocol(CacheEndpoint endpoint, SiteAddresses site, HttpClient? signInClient)
        : base(endpoint)
    {
        _site = site;
        // Made at the first sign-in: the settings page and the validator make protocols of settings not yet valid.
        _credential = new(() => AzureCredentials.For(endpoint, signInClient));
        var arm = string.IsNullOrWhiteSpace(endpoint.BaseUrl) ? PublicResourceManager : endpoint.BaseUrl.TrimEnd('/');
        var resource = $"{arm}/subscriptions/{Escape(endpoint.AzureSubscriptionId)}/resourceGroups/{Escape(endpoint.AzureResourceGroup)}/providers/Microsoft.Cdn/profiles/{Escape(endpoint.AzureProfile)}/afdEndpoints/{Escape(endpoint.AzureEndpoint)}";
        _endpointUri = new Uri($"{resource}?api-version={ApiVersion}");
        _purgeUri = new Uri($"{resource}/purge?api-version={ApiVersion}");
        var everything = endpoint.NeverPurgeEverything ? PurgeCapabilities.None : PurgeCapabilities.Everything;
        RateLimit[] limits = [ArmWrites, .. RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } own ? [own] : Array.Empty<RateLimit>()];
        var paths = Math.Clamp(endpoint.ItemsPerCall, 1, MaxPathsPerCall);
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.AbsoluteUrl | everything,
            Addressing = PageAddressing.AbsoluteUrl,

            // A content path is purged on every domain the call lists: the limit is on paths, whatever the hosts.
            UrlsPerCall = paths * Math.Max(1, site.Hosts.Count),
            RateLimits = limits,
            RateScope = RateScope.Of("azure", endpoint.AzureSubscriptionId.ToLowerInvariant()),
            Completion = PurgeCompletion.ReportedLater,
        };
    }

    public override BackendCapabilities Capabilities { get; }

    // ARM's token bucket for writes, per subscription and region: 200, refilled at 10 a second.
    // https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
    private static RateLimit ArmWrites { get; } = new("arm-writes", [], Burst: 200, Refill: 1, TimeSpan.FromMilliseconds(100));

    /// <summary>The purge of <paramref name="call"/> without its token, which <see cref="CreateRequestAsync"/> adds.</summary>
    public override HttpRequestMessage CreateRequest(PurgeCall call)
    {
        var paths = call.Kind == PurgeTargetKind.Path
            ? call.Values.Select(ContentPath).Distinct(StringComparer.Ordinal)
            : [_site.PathBase + "/*"];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("contentPaths");
            foreach (var path in paths)
            {
                json.WriteStringValue(path);
            }

            json.WriteEndArray();
            json.WriteStartArray("domains");
            foreach (var host in call.Hosts.Select(h => h.Host).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                json.WriteStringValue(host);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, _purgeUri) { Content = content };
    }

    public override async ValueTask<HttpRequestMessage> CreateRequestAsync(PurgeCall call, CancellationToken cancellationToken)
    {
        var authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        var request = CreateRequest(call);
        request.Headers.Authorization = authorization;
        return request;
    }

    public override async ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var status = response.Headers.TryGetValues("Azure-AsyncOperation", out var operations) ? operations.FirstOrDefault() : null;
            var statusUri = Uri.TryCreate(status, UriKind.Absolute, out var uri) ? uri : response.Headers.Location;
            if (statusUri is null)
            {
                return new PurgeAnswer(PurgeOutcome.Failed, StatusLine(response) + " (no Azure-AsyncOperation or Location to follow)");
            }

            var items = await CountPathsAsync(response, cancellationToken).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            return new PurgeAnswer(PurgeOutcome.Purged, null, new PurgeTicket(OperationId(statusUri), items, statusUri, retryAfter));
        }

        if (response.IsSuccessStatusCode)
        {
            return new PurgeAnswer(PurgeOutcome.Purged, null);
        }

        var outcome = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? PurgeOutcome.Refused : PurgeOutcome.Failed;
        return new PurgeAnswer(outcome, await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
    }

    public override async ValueTask<HttpRequestMessage?> CreateCompletionRequestAsync(PurgeTicket ticket, CancellationToken cancellationToken)
    {
        var authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        var request = new HttpRequestMessage(HttpMethod.Get, ticket.StatusUri);
        request.Headers.Authorization = authorization;
        return request;
    }

    public override async ValueTask<CompletionAnswer> ReadCompletionAsync(PurgeTicket ticket, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // A Location is answered 202 while in progress; an Azure-AsyncOperation with its status in the body.
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return new CompletionAnswer(CompletionStatus.InProgress);
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // An operation ARM no longer knows: whether it ran cannot be told, so the purge is sent again.
            return new CompletionAnswer(CompletionStatus.Failed, await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        if (!response.IsSuccessStatusCode)
        {
            return new CompletionAnswer(CompletionStatus.InProgress, await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        using var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (body is null || !body.RootElement.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
        {
            // A Location answered 200 or 204 without an operation in its body: done.
            return new CompletionAnswer(CompletionStatus.Completed);
        }

        return status.GetString() switch
        {
            "Succeeded" => new CompletionAnswer(CompletionStatus.Completed),
            "Failed" or "Canceled" => new CompletionAnswer(CompletionStatus.Failed, $"operation {status.GetString()}" + (ErrorOf(body.RootElement) is { } error ? ": " + error : "")),
            _ => new CompletionAnswer(CompletionStatus.InProgress),
        };
    }

    public override int ConnectionCheckSteps => 1;

    public override HttpRequestMessage CreateCheckRequest(int step) => new(HttpMethod.Get, _endpointUri);

    public override async ValueTask<HttpRequestMessage> CreateCheckRequestAsync(int step, CancellationToken cancellationToken)
    {
        var authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        var request = CreateCheckRequest(step);
        request.Headers.Authorization = authorization;
        return request;
    }

    public override async ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            using var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            var hostName = body is not null && body.RootElement.TryGetProperty("properties", out var properties) && properties.TryGetProperty("hostName", out var host) ? host.GetString() : null;
            return hostName is { Length: > 0 }
                ? CheckStep.Found($"token issued; endpoint {Endpoint.AzureEndpoint} ({hostName})")
                : new CheckStep(ConnectionCheckOutcome.Failed, $"the endpoint {Endpoint.AzureEndpoint} could not be read: {StatusLine(response)} (no host name in the answer)");
        }

        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        var problem = refused ? $"Azure Resource Manager refused to read the endpoint {Endpoint.AzureEndpoint}: " : $"the endpoint {Endpoint.AzureEndpoint} could not be read: ";
        return new CheckStep(refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed, problem + await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The site path as a content path: Front Door purges paths, with no query string.</summary>
    private static string ContentPath(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? path : path[..query];
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string OperationId(Uri statusUri) => statusUri.Segments.Length > 0 ? statusUri.Segments[^1].TrimEnd('/') : statusUri.ToString();

    private static async ValueTask<int> CountPathsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // The request's body says how many paths the operation carries.
        if (response.RequestMessage?.Content is { } content)
        {
            using var sent = JsonDocument.Parse(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            if (sent.RootElement.TryGetProperty("contentPaths", out var paths) && paths.ValueKind == JsonValueKind.Array)
            {
                return paths.GetArrayLength();
            }
        }

        return 1;
    }

    private static async ValueTask<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"InvalidAuthenticationToken: The access token is invalid." from ARM's <c>{"error": {"code", "message"}}</c>.</summary>
    private static string? ErrorOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? $"{(error.TryGetProperty("code", out var code) ? code.GetString() : "")}: {(error.TryGetProperty("message", out var message) ? message.GetString() : "")}".Trim(' ', ':')
            : null;

    /// <summary>The status line and ARM's error: "HTTP 401 Unauthorized: InvalidAuthenticationToken: The access token is invalid.".</summary>
    private static async ValueTask<string> DescribeErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        return StatusLine(response) + (body is not null && ErrorOf(body.RootElement) is { Length: > 0 } error ? ": " + error : "");
    }

    /// <summary>A Bearer token for Azure Resource Manager; Azure.Identity keeps it until shortly before it expires.</summary>
    private async ValueTask<AuthenticationHeaderValue> AuthorizationAsync(CancellationToken cancellationToken)
    {
        try
        {
            var token = await _credential.Value.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
            return new AuthenticationHeaderValue("Bearer", token.Token);
        }
        catch (CredentialUnavailableException ex)
        {
            throw new BackendCredentialException($"no Entra ID credential is available ({Endpoint.AzureCredential}): {Reason(ex)}", refused: false, ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new BackendCredentialException($"Entra ID gave no token to {Endpoint.AzureCredential} {Endpoint.AzureClientId}: {Reason(ex)}", refused: true, ex);
        }
        catch (ArgumentException ex)
        {
            throw new BackendCredentialException($"the Entra ID settings cannot be used ({Endpoint.AzureCredential}): {Reason(ex)}", refused: false, ex);
        }
    }

    /// <summary>
    /// Entra ID's own words (<c>AADSTS7000215: Invalid client secret provided. …</c>) where the exceptions carry them,
    /// else the first line of Azure.Identity's message, which goes on with a link to its troubleshooting guide.
    /// </summary>
    private static string Reason(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            var at = inner.Message.IndexOf("AADSTS", StringComparison.Ordinal);
            if (at >= 0)
            {
                var end = inner.Message.IndexOfAny(['\r', '\n'], at);
                return (end < 0 ? inner.Message[at..] : inner.Message[at..end]).Trim();
            }
        }

        var firstLine = ex.Message.IndexOfAny(['\r', '\n']);
        return (firstLine < 0 ? ex.Message : ex.Message[..firstLine]).Trim();
    }
}

using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CachePurge.Core.Protocols.Akamai;

/// <summary>
/// Akamai's Fast Purge API v3 (https://techdocs.akamai.com/purge-cache/reference/api), signed with EdgeGrid:
/// <c>POST /ccu/v3/{invalidate|delete}/{url|tag|cpcode}/{staging|production}</c> with <c>{"objects":[…]}</c>. Pages are
/// absolute URLs for each site host and scheme, tags are cache tags (at most 128 characters; a longer one is covered
/// by a purge of everything), and every page of the site is its CP codes, when the settings name them. A body holds at
/// most 50 KB, so calls carry as many objects as fit. Akamai answers <c>201</c> with a <c>purgeId</c> and the
/// <c>estimatedSeconds</c> until every edge has it; it has no status to ask for, so the purge is done then. A
/// <c>429</c> carries no <c>Retry-After</c>: Akamai's documentation says to wait five seconds, which this protocol
/// gives the sender as the answer's <c>Retry-After</c>. Its connection check asks, without purging, for the account's
/// rate limit status (<c>POST /ccu/v3/rate-limit-status/url</c>, https://techdocs.akamai.com/purge-cache/reference/rate-limits).
/// </summary>
internal sealed class AkamaiProtocol : CacheProtocol
{
    /// <summary>The largest body Fast Purge takes: 50 KB, read as 50,000 bytes (larger ones are refused with 413).</summary>
    public const int MaxBodyBytes = 50_000;

    /// <summary>The longest cache tag Akamai purges.</summary>
    public const int MaxTagLength = 128;

    /// <summary>How long Akamai's documentation says to wait after a 429, which carries no <c>Retry-After</c>.</summary>
    public static readonly TimeSpan RateLimitedWait = TimeSpan.FromSeconds(5);

    // The most URLs a call names (a path's URLs for every host and scheme count each); the body's size usually binds first.
    private const int UrlsPerCall = 2_000;
    private const int TagsPerCall = 1_000;

    // {"objects":[]}
    private const int EnvelopeBytes = 14;

    private static readonly HttpRequestOptionsKey<int> ObjectCount = new("CachePurge.Akamai.Objects");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // URLs, tags and CP codes are ASCII; only quotes, backslashes and controls need escaping, so a body's size is known in advance.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SiteAddresses _site;
    private readonly EdgeGridSigner _signer;
    private readonly TimeProvider _time;
    private readonly string _purge;
    private readonly Uri _rateLimitStatus;

    public AkamaiProtocol(CacheEndpoint endpoint, SiteAddresses site, TimeProvider? time = null)
        : base(endpoint)
    {
        _site = site;
        _time = time ?? TimeProvider.System;
        _signer = new EdgeGridSigner(endpoint.ClientToken, endpoint.ApiToken, endpoint.AccessToken);
        var api = endpoint.BaseUrl.TrimEnd('/') + "/ccu/v3";
        _purge = $"{api}/{(endpoint.AkamaiPurgeAction == AkamaiPurgeAction.Delete ? "delete" : "invalidate")}/{{0}}/{(endpoint.AkamaiNetwork == AkamaiNetwork.Staging ? "staging" : "production")}";
        _rateLimitStatus = new Uri($"{api}/rate-limit-status/url");
        var everything = endpoint.CpCodes.Count > 0 && !endpoint.NeverPurgeEverything ? PurgeCapabilities.Everything : PurgeCapabilities.None;
        RateLimit[] limits = [.. AkamaiRateLimits.For(endpoint.CpCodes.Count), .. RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } own ? [own] : Array.Empty<RateLimit>()];
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.AbsoluteUrl | PurgeCapabilities.Tag | everything,
            Addressing = PageAddressing.AbsoluteUrl,
            UrlsPerCall = UrlsPerCall,
            TagsPerCall = TagsPerCall,
            KeysByScheme = true,
            MaxCallBytes = MaxBodyBytes - EnvelopeBytes,
            TargetBytes = TargetBytes,
            RateLimits = limits,
            // The limits are per account; an API client (its host and client token) belongs to one.
            RateScope = RateScope.Of("akamai", endpoint.BaseUrl + "\n" + endpoint.ClientToken),
            Completion = PurgeCompletion.ReportedLater,
        };
    }

    public override BackendCapabilities Capabilities { get; }

    /// <summary>A tag longer than Akamai takes is covered by a purge of everything (the CP codes), where there is one.</summary>
    public override PurgeTarget? Cover(PurgeTarget target) => target.Kind == PurgeTargetKind.Tag && target.Value.Length > MaxTagLength
        ? SupportsEverything ? PurgeTarget.Everything : null
        : base.Cover(target);

    public override HttpRequestMessage CreateRequest(PurgeCall call)
    {
        var body = new ArrayBufferWriter<byte>();
        int objects;
        string type;
        using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("objects");
            switch (call.Kind)
            {
                case PurgeTargetKind.Path:
                    type = "url";
                    var urls = AbsoluteUrls.Of(call.Values, Endpoint.Schemes, call.Hosts);
                    urls.ForEach(writer.WriteStringValue);
                    objects = urls.Count;
                    break;
                case PurgeTargetKind.Tag:
                    type = "tag";
                    foreach (var tag in call.Values)
                    {
                        writer.WriteStringValue(tag);
                    }

                    objects = call.Values.Count;
                    break;
                default:
                    type = "cpcode";
                    Endpoint.CpCodes.ForEach(writer.WriteNumberValue);
                    objects = Endpoint.CpCodes.Count;
                    break;
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var request = Signed(new Uri(string.Format(CultureInfo.InvariantCulture, _purge, type)), body.WrittenSpan.ToArray());
        request.Options.Set(ObjectCount, objects);
        return request;
    }

    public override async ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var answer = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && answer?.PurgeId is { Length: > 0 } purgeId)
        {
            var objects = response.RequestMessage?.Options.TryGetValue(ObjectCount, out var count) == true ? count : 0;
            var estimated = TimeSpan.FromSeconds(Math.Max(0, answer.EstimatedSeconds ?? 5));
            return new PurgeAnswer(PurgeOutcome.Purged, null, new PurgeTicket(purgeId, objects, Estimated: estimated));
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null)
        {
            // Fast Purge sends no Retry-After and documents a wait of five seconds: the sender waits what the answer says.
            response.Headers.RetryAfter = new RetryConditionHeaderValue(RateLimitedWait);
        }

        var outcome = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? PurgeOutcome.Refused : PurgeOutcome.Failed;
        return new PurgeAnswer(outcome, Describe(response, answer, response.IsSuccessStatusCode ? " (no purgeId in the answer)" : null));
    }

    /// <summary>Fast Purge has no status to ask for: a purge is done at its <see cref="PurgeTicket.Estimated"/> time.</summary>
    public override ValueTask<HttpRequestMessage?> CreateCompletionRequestAsync(PurgeTicket ticket, CancellationToken cancellationToken) =>
        ValueTask.FromResult<HttpRequestMessage?>(null);

    public override int ConnectionCheckSteps => 1;

    public override HttpRequestMessage CreateCheckRequest(int step) => Signed(_rateLimitStatus, []);

    public override async ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return CheckStep.Found(Header(response, "X-RateLimit-Remaining-Objects") is { } remaining && Header(response, "X-RateLimit-Limit-Objects") is { } limit
                ? $"credentials accepted; {remaining} of {limit} URL purges left"
                : "credentials accepted");
        }

        var answer = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        return new CheckStep(
            refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed,
            (refused ? "the EdgeGrid credentials were refused: " : "the rate limit status could not be read: ") + Describe(response, answer, null));
    }

    /// <summary>The bytes <paramref name="value"/> takes in a call's <c>objects</c>: each of its URLs (or it) quoted, with a comma.</summary>
    private int TargetBytes(PurgeTargetKind kind, string value) => kind switch
    {
        PurgeTargetKind.Path => Endpoint.Schemes.Sum(scheme => _site.Hosts.Sum(host => QuotedBytes(AbsoluteUrls.Of(scheme, host, value)))),
        PurgeTargetKind.Tag => QuotedBytes(value),
        _ => Endpoint.CpCodes.Sum(code => code.ToString(CultureInfo.InvariantCulture).Length + 1),
    };

    private static int QuotedBytes(string value) => JsonEncodedText.Encode(value, WriterOptions.Encoder).EncodedUtf8Bytes.Length + 3;

    private HttpRequestMessage Signed(Uri uri, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");

        // Signed as sent: to the URL's host, no headers signed (Fast Purge asks for none), the whole body hashed.
        var authorization = _signer.Sign("POST", uri, [], body, EdgeGridSigner.FormatTimestamp(_time.GetUtcNow()), EdgeGridSigner.NewNonce());
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private static ValueTask<AkamaiAnswer?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadJsonOrNullAsync(response, AkamaiJson.Default.AkamaiAnswer, cancellationToken);

    /// <summary>The status line and Akamai's problem: "HTTP 401 Unauthorized: Not authorized (The signature does not match)".</summary>
    private static string Describe(HttpResponseMessage response, AkamaiAnswer? answer, string? missing)
    {
        var text = new StringBuilder(StatusLine(response));
        if (answer?.Title is { Length: > 0 } title)
        {
            text.Append(": ").Append(title);
            if (answer.Detail is { Length: > 0 } detail)
            {
                text.Append(" (").Append(detail).Append(')');
            }
        }

        if (answer?.SupportId is { Length: > 0 } supportId)
        {
            text.Append("; supportId ").Append(supportId);
        }

        return text.Append(missing).ToString();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

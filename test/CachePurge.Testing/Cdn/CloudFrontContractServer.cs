using System.Globalization;
using System.Net;
using System.Security;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// Amazon CloudFront's invalidation API as documented
/// (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateInvalidation.html, API_GetInvalidation,
/// API_GetDistribution, and the limits of https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html).
/// Every request must carry a SigV4 signature for service <c>cloudfront</c> in us-east-1, checked by an independent
/// <see cref="SigV4Verifier"/> (403 <c>MissingAuthenticationToken</c>, <c>InvalidClientTokenId</c> or
/// <c>SignatureDoesNotMatch</c>, also for a date more than 5 minutes off). <c>POST
/// /2020-05-31/distribution/{id}/invalidation</c> takes an <c>InvalidationBatch</c> whose <c>Quantity</c> matches its
/// paths (400 <c>InconsistentQuantities</c>), at most <see cref="MaxPathsPerCall"/> paths (413 <c>BatchTooLarge</c>),
/// each starting with '/' with '*' only at the end (400 <c>InvalidArgument</c>), and answers 201 with <c>Location</c>
/// and the <c>Invalidation</c>, <c>InProgress</c> until <see cref="CompletionDelay"/> has passed; a
/// <c>CallerReference</c> sent again with the same paths gets the same invalidation, with other paths 409
/// <c>InvalidationBatchAlreadyExists</c>. Beyond 3,000 exact paths or 15 wildcard paths in progress it answers 400
/// <c>TooManyInvalidationsInProgress</c>. Errors are CloudFront's <c>ErrorResponse</c>. An injected 429 is answered as
/// CloudFront throttles, 400 <c>Throttling</c>; an injected 5xx as <c>ServiceUnavailable</c>.
/// </summary>
public sealed class CloudFrontContractServer : CdnContractServer
{
    public const int MaxPathsPerCall = 3_000;
    public const int MaxPathsInProgress = 3_000;
    public const int MaxWildcardsInProgress = 15;

    private const string Version = "/2020-05-31/distribution/";
    private static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    private readonly Lock _lock = new();
    private readonly List<CloudFrontInvalidation> _invalidations = [];
    private int _lostAnswers;
    private int _peakPaths;
    private int _peakWildcards;
    private long _ids;

    private CloudFrontContractServer(TimeSpan completionDelay)
    {
        CompletionDelay = completionDelay;
    }

    public string DistributionId { get; } = "EDFDVBD6EXAMPLE";

    public string DomainName { get; } = "d111111abcdef8.cloudfront.net";

    public string AccessKeyId { get; } = "AKIA" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];

    public string SecretAccessKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray())[..16];

    /// <summary>A session token the access key must come with (temporary credentials); null for an IAM user's key.</summary>
    public string? SessionToken { get; init; }

    /// <summary>How long an invalidation stays <c>InProgress</c>.</summary>
    public TimeSpan CompletionDelay { get; }

    /// <summary>The most exact paths that were in progress at once.</summary>
    public int PeakPathsInProgress
    {
        get
        {
            lock (_lock)
            {
                return _peakPaths;
            }
        }
    }

    /// <summary>The most wildcard paths that were in progress at once.</summary>
    public int PeakWildcardsInProgress
    {
        get
        {
            lock (_lock)
            {
                return _peakWildcards;
            }
        }
    }

    /// <summary>Every invalidation made, oldest first: its paths.</summary>
    public IReadOnlyList<string[]> Invalidations
    {
        get
        {
            lock (_lock)
            {
                return [.. _invalidations.Select(i => i.Paths)];
            }
        }
    }

    public static Task<CloudFrontContractServer> StartAsync(TimeSpan completionDelay, string? sessionToken = null) =>
        StartAsync(new CloudFrontContractServer(completionDelay) { SessionToken = sessionToken });

    /// <summary>Makes the next <paramref name="count"/> invalidations but answers them 503, as an answer lost on the way back.</summary>
    public void LoseAnswers(int count) => Interlocked.Add(ref _lostAnswers, count);

    /// <summary>The status CloudFront would report now of the invalidation <paramref name="id"/>, or null when unknown.</summary>
    public string? StatusOf(string id)
    {
        lock (_lock)
        {
            return _invalidations.Find(i => i.Id == id) is { } found ? Status(found, DateTimeOffset.UtcNow) : null;
        }
    }

    protected override async Task<CdnAnswer> AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var query = target.Contains('?', StringComparison.Ordinal) ? target[target.IndexOf('?', StringComparison.Ordinal)..] : "";
        var path = target[..(target.Length - query.Length)];
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        List<KeyValuePair<string, string>> headers = [];
        foreach (var (name, values) in request.Headers)
        {
            headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v ?? "")));
        }

        var verdict = SigV4Verifier.Verify(
            new SigV4Request(request.Method, path, query, headers, body),
            key => key == AccessKeyId ? SecretAccessKey : null,
            key => SessionToken,
            "us-east-1",
            "cloudfront",
            DateTimeOffset.UtcNow);
        if (!verdict.Valid)
        {
            return Error(verdict.Status, verdict.Code, verdict.Message, "signature");
        }

        if (!path.StartsWith(Version, StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.NotFound, "NotFound", $"No operation at {path}");
        }

        var rest = path[Version.Length..].Split('/');
        if (rest[0] != DistributionId)
        {
            return Error(HttpStatusCode.NotFound, "NoSuchDistribution", "The specified distribution does not exist.", rest.Length == 1 ? "distribution" : "invalidation");
        }

        return (request.Method, rest.Length) switch
        {
            ("GET", 1) => Distribution(),
            ("POST", 2) when rest[1] == "invalidation" => Create(body, context.Response),
            ("GET", 3) when rest[1] == "invalidation" => Get(rest[2]),
            _ => Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{request.Method} is not allowed on {path}"),
        };
    }

    private static string Status(CloudFrontInvalidation invalidation, DateTimeOffset now) => now - invalidation.Created >= invalidation.Delay ? "Completed" : "InProgress";

    private CdnAnswer Distribution()
    {
        int inProgress;
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            inProgress = _invalidations.Count(i => Status(i, now) == "InProgress");
        }

        var xml = new XElement(
            Ns + "Distribution",
            new XElement(Ns + "Id", DistributionId),
            new XElement(Ns + "ARN", $"arn:aws:cloudfront::123456789012:distribution/{DistributionId}"),
            new XElement(Ns + "Status", "Deployed"),
            new XElement(Ns + "LastModifiedTime", "2026-01-01T00:00:00Z"),
            new XElement(Ns + "InProgressInvalidationBatches", inProgress),
            new XElement(Ns + "DomainName", DomainName));
        return new CdnAnswer(HttpStatusCode.OK, null, "distribution") { Xml = Document(xml) };
    }

    private CdnAnswer Get(string id)
    {
        lock (_lock)
        {
            return _invalidations.Find(i => i.Id == id) is { } found
                ? new CdnAnswer(HttpStatusCode.OK, null, "status", [Status(found, DateTimeOffset.UtcNow)]) { Xml = Document(InvalidationXml(found, DateTimeOffset.UtcNow)) }
                : Error(HttpStatusCode.NotFound, "NoSuchInvalidation", "The specified invalidation does not exist.", "status");
        }
    }

    private CdnAnswer Create(byte[] body, HttpResponse response)
    {
        XElement? batch;
        try
        {
            batch = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root;
        }
        catch (XmlException)
        {
            batch = null;
        }

        if (batch?.Name != Ns + "InvalidationBatch")
        {
            return Error(HttpStatusCode.BadRequest, "MissingBody", "This operation requires a body. Ensure that the body is present and the Content-Type header is set.", "invalidation");
        }

        var reference = batch.Element(Ns + "CallerReference")?.Value;
        var pathsElement = batch.Element(Ns + "Paths");
        string[] paths = [.. pathsElement?.Element(Ns + "Items")?.Elements(Ns + "Path").Select(p => p.Value) ?? []];
        if (string.IsNullOrEmpty(reference) || pathsElement is null)
        {
            return Error(HttpStatusCode.BadRequest, "InvalidArgument", "CallerReference and Paths are required.", "invalidation", paths);
        }

        if (!int.TryParse(pathsElement.Element(Ns + "Quantity")?.Value, CultureInfo.InvariantCulture, out var quantity) || quantity != paths.Length || quantity == 0)
        {
            return Error(HttpStatusCode.BadRequest, "InconsistentQuantities", "The value of Quantity and the size of Items don't match.", "invalidation", paths);
        }

        if (paths.Length > MaxPathsPerCall)
        {
            return Error(HttpStatusCode.RequestEntityTooLarge, "BatchTooLarge", $"Invalidation batch specified is too large: {paths.Length} paths, at most {MaxPathsPerCall}.", "invalidation", paths);
        }

        if (paths.Any(p => !p.StartsWith('/') || p.Length > 4_000 || p.TrimEnd('*').Contains('*', StringComparison.Ordinal)))
        {
            return Error(HttpStatusCode.BadRequest, "InvalidArgument", "Your request contains one or more invalid invalidation paths.", "invalidation", paths);
        }

        if (TryTakeInjected(out var injected))
        {
            return injected == HttpStatusCode.TooManyRequests
                ? Error(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded", "invalidation", paths)
                : Error(injected, "ServiceUnavailable", "CloudFront is unavailable; try again.", "invalidation", paths);
        }

        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            if (_invalidations.Find(i => i.CallerReference == reference) is { } earlier)
            {
                return earlier.Paths.SequenceEqual(paths)
                    ? Created(earlier, now, response, "again")
                    : Error(HttpStatusCode.Conflict, "InvalidationBatchAlreadyExists", "The CallerReference you attempted to use is already in use by another invalidation batch.", "invalidation", paths);
            }

            var inProgress = _invalidations.Where(i => Status(i, now) == "InProgress").SelectMany(i => i.Paths).ToList();
            var exact = inProgress.Count(p => !p.EndsWith('*')) + paths.Count(p => !p.EndsWith('*'));
            var wildcards = inProgress.Count(p => p.EndsWith('*')) + paths.Count(p => p.EndsWith('*'));
            if (exact > MaxPathsInProgress || wildcards > MaxWildcardsInProgress)
            {
                return Error(HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress", wildcards > MaxWildcardsInProgress
                    ? "Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations."
                    : "Your request contains too many invalidations.", "invalidation", paths);
            }

            _peakPaths = Math.Max(_peakPaths, exact);
            _peakWildcards = Math.Max(_peakWildcards, wildcards);
            var invalidation = new CloudFrontInvalidation($"I{Interlocked.Increment(ref _ids):D4}EXAMPLE", reference, paths, now, CompletionDelay);
            _invalidations.Add(invalidation);
            if (_lostAnswers > 0)
            {
                _lostAnswers--;
                return Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "CloudFront is unavailable; try again.", "lost", paths);
            }

            return Created(invalidation, now, response, "invalidation");
        }
    }

    private CdnAnswer Created(CloudFrontInvalidation invalidation, DateTimeOffset now, HttpResponse response, string member)
    {
        response.Headers.Location = $"https://cloudfront.amazonaws.com{Version}{DistributionId}/invalidation/{invalidation.Id}";
        return new CdnAnswer(HttpStatusCode.Created, null, member, invalidation.Paths) { Xml = Document(InvalidationXml(invalidation, now)) };
    }

    private static XElement InvalidationXml(CloudFrontInvalidation invalidation, DateTimeOffset now) => new(
        Ns + "Invalidation",
        new XElement(Ns + "Id", invalidation.Id),
        new XElement(Ns + "Status", Status(invalidation, now)),
        new XElement(Ns + "CreateTime", invalidation.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        new XElement(
            Ns + "InvalidationBatch",
            new XElement(Ns + "Paths", new XElement(Ns + "Quantity", invalidation.Paths.Length), new XElement(Ns + "Items", invalidation.Paths.Select(p => new XElement(Ns + "Path", p)))),
            new XElement(Ns + "CallerReference", invalidation.CallerReference)));

    private static string Document(XElement root) => "<?xml version=\"1.0\"?>" + root.ToString(SaveOptions.DisableFormatting);

    private static CdnAnswer Error(HttpStatusCode status, string code, string message, string member = "", string[]? items = null) => new(status, null, member, items)
    {
        Xml = $"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>",
    };
}

using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// AWS Signature Version 4 checked on the server side, written from AWS's description of the algorithm
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html) apart from the SDK's
/// signer the engine uses, so that the two are checked against each other; it is itself proven against AWS's
/// published test suite (test/CachePurge.Core.Tests/Cdn/SigV4TestSuite). It refuses as AWS does: no signature, an
/// unknown key, a scope of another region or service, a date more than 5 minutes off, a signature that differs.
/// </summary>
public static class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <param name="secretOf">The secret access key of an access key id, or null for a key the account does not have.</param>
    /// <param name="sessionTokenOf">The session token that must come with an access key id, or null when none must.</param>
    public static SigV4Verdict Verify(SigV4Request request, Func<string, string?> secretOf, Func<string, string?> sessionTokenOf, string region, string service, DateTimeOffset now)
    {
        var authorization = request.Header("Authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "MissingAuthenticationToken", "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return SigV4Verdict.Refused(HttpStatusCode.BadRequest, "IncompleteSignature", $"Unsupported AWS 'algorithm': '{authorization.Split(' ')[0]}'");
        }

        var parts = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedList) || !parts.TryGetValue("Signature", out var signature))
        {
            return SigV4Verdict.Refused(HttpStatusCode.BadRequest, "IncompleteSignature", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return SigV4Verdict.Refused(HttpStatusCode.BadRequest, "IncompleteSignature", $"Credential should be scoped to a valid scope: '{credential}'.");
        }

        var secret = secretOf(scope[0]);
        if (secret is null)
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }

        if (sessionTokenOf(scope[0]) is { } token && request.Header("X-Amz-Security-Token") != token)
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }

        if (scope[2] != region)
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", $"Credential should be scoped to a valid region, not '{scope[2]}'.");
        }

        if (scope[3] != service)
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{service}'.");
        }

        var signedHeaders = signedList.Split(';');
        if (!signedHeaders.Contains("host") || (!signedHeaders.Contains("x-amz-date") && !signedHeaders.Contains("date")))
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "'Host' or 'X-Amz-Date' must be a signed header.");
        }

        var amzDate = request.Header("X-Amz-Date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return SigV4Verdict.Refused(HttpStatusCode.BadRequest, "IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (scope[1] != amzDate[..8])
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}'.");
        }

        if (signedAt < now - MaxSkew)
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", $"Signature expired: {amzDate} is now earlier than {Format(now - MaxSkew)} ({Format(now)} - 5 min.)");
        }

        if (signedAt > now + MaxSkew)
        {
            return SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", $"Signature not yet current: {amzDate} is still later than {Format(now + MaxSkew)} ({Format(now)} + 5 min.)");
        }

        var bodyHash = Hex(SHA256.HashData(request.Body));
        var claimedHash = request.Header("X-Amz-Content-SHA256");
        if (claimedHash is not null && claimedHash != "UNSIGNED-PAYLOAD" && claimedHash != bodyHash)
        {
            return SigV4Verdict.Refused(HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var expected = Signature(secret, scope[1], region, service, StringToSign(amzDate, string.Join('/', scope[1..]), CanonicalRequest(request, signedHeaders, claimedHash ?? bodyHash)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? SigV4Verdict.Accepted
            : SigV4Verdict.Refused(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /// <summary>Method, canonical path, canonical query, the signed headers each on a line, their names, and the payload's hash.</summary>
    public static string CanonicalRequest(SigV4Request request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalPath(request.Path)).Append('\n');
        builder.Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Values(name).Select(v => string.Join(' ', v.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            builder.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>HMAC-SHA256 of the string to sign with the key derived from the secret, date, region and service.</summary>
    public static string Signature(string secret, string date, string region, string service, string stringToSign)
    {
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    // Each segment decoded then encoded as RFC 3986's unreserved characters allow; an empty path is "/".
    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

    private static string CanonicalQuery(string query) => string.Join('&', query.TrimStart('?')
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={p.Value}"));

    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}

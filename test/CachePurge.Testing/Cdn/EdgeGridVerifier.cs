using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// A server's check of an EdgeGrid v1 signature, written apart from the engine's signer (and from its code) straight
/// from Akamai's specification (https://techdocs.akamai.com/developer/docs/authenticate-with-edgegrid), and checked
/// against the same published test vectors. It recomputes the signature of what it received: the method, scheme,
/// <c>Host</c>, path with query, the headers it asks to be signed (lower-case name, value trimmed with inner
/// whitespace collapsed), the SHA-256 of a POST's first <c>maxBody</c> bytes, and the header up to its signature.
/// </summary>
public sealed partial class EdgeGridVerifier(string clientToken, string clientSecret, string accessToken, int maxBody = 131_072, IReadOnlyList<string>? headersToSign = null)
{
    public string ClientToken { get; } = clientToken;

    public string AccessToken { get; } = accessToken;

    /// <summary>The signature a client holding the secret would have sent.</summary>
    public string ExpectedSignature(string method, string scheme, string host, string pathAndQuery, IReadOnlyDictionary<string, string> headers, byte[] body, EdgeGridAuthorization authorization)
    {
        var signed = new StringBuilder();
        foreach (var name in headersToSign ?? [])
        {
            var value = headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (value is not null)
            {
                signed.Append(name.ToLowerInvariant()).Append(':').Append(Spaces().Replace(value.Trim(), " ")).Append('\t');
            }
        }

        var contentHash = method == "POST" && body.Length > 0 ? Convert.ToBase64String(SHA256.HashData(body.AsSpan(0, Math.Min(body.Length, maxBody)))) : "";
        var data = $"{method}\t{scheme}\t{host}\t{pathAndQuery}\t{signed.ToString().TrimEnd('\t')}\t{contentHash}\t{authorization.Unsigned}";
        var key = Hmac(Encoding.UTF8.GetBytes(clientSecret), authorization.Timestamp);
        return Hmac(Encoding.UTF8.GetBytes(key), data);
    }

    /// <summary>What Akamai would answer a request carrying <paramref name="header"/>, or null when it may pass.</summary>
    public EdgeGridRejection? Check(string? header, string method, string scheme, string host, string pathAndQuery, IReadOnlyDictionary<string, string> headers, byte[] body, DateTimeOffset now, TimeSpan maxSkew)
    {
        if (string.IsNullOrEmpty(header) || EdgeGridAuthorization.Parse(header) is not { } authorization)
        {
            return EdgeGridRejection.Deny("Invalid authorization header");
        }

        if (authorization.ClientToken != ClientToken)
        {
            return EdgeGridRejection.Deny("Invalid authorization client token");
        }

        if (authorization.AccessToken != AccessToken)
        {
            return EdgeGridRejection.Deny("Invalid authorization access token");
        }

        if (!DateTimeOffset.TryParseExact(authorization.Timestamp, "yyyyMMdd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || (now - signedAt).Duration() > maxSkew)
        {
            return EdgeGridRejection.BadRequest("Invalid timestamp");
        }

        return authorization.Signature == ExpectedSignature(method, scheme, host, pathAndQuery, headers, body, authorization)
            ? null
            : EdgeGridRejection.Deny("The signature does not match");
    }

    private static string Hmac(byte[] key, string data)
    {
        using var hmac = new HMACSHA256(key);
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data)));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

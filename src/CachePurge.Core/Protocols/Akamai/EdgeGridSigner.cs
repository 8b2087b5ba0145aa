using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CachePurge.Core.Protocols.Akamai;

/// <summary>
/// Akamai's EdgeGrid v1 request signature (EG1-HMAC-SHA256), as https://techdocs.akamai.com/developer/docs/authenticate-with-edgegrid
/// specifies it and as Akamai's client libraries' test vectors check it. The <c>Authorization</c> header is
/// <c>EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…</c>, where the signature is the
/// base64 HMAC-SHA256, keyed with the signing key, of the tab-separated method, scheme, host, path with query,
/// canonical signed headers, content hash and the header up to its signature; the signing key is the base64
/// HMAC-SHA256 of the timestamp keyed with the client secret. Only a POST's body is hashed, and only its first
/// <c>maxBody</c> bytes.
/// </summary>
internal sealed class EdgeGridSigner
{
    /// <summary>The body bytes hashed by default (Akamai's client libraries' <c>max_body</c>).</summary>
    public const int DefaultMaxBody = 131_072;

    public const string Moniker = "EG1-HMAC-SHA256";

    private readonly string _clientToken;
    private readonly string _clientSecret;
    private readonly string _accessToken;
    private readonly int _maxBody;
    private readonly string[] _headersToSign;

    /// <param name="headersToSign">The request headers the API wants signed, in the order they are signed; Fast Purge wants none.</param>
    public EdgeGridSigner(string clientToken, string clientSecret, string accessToken, int maxBody = DefaultMaxBody, IReadOnlyList<string>? headersToSign = null)
    {
        _clientToken = clientToken;
        _clientSecret = clientSecret;
        _accessToken = accessToken;
        _maxBody = maxBody;
        _headersToSign = [.. (headersToSign ?? []).Select(h => h.ToLowerInvariant())];
    }

    /// <summary>The timestamp of a request signed at <paramref name="now"/>: <c>yyyyMMddTHH:mm:ss+0000</c>, in UTC.</summary>
    public static string FormatTimestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    /// <summary>A nonce used once: a random UUID, as Akamai's client libraries make it.</summary>
    public static string NewNonce() => Guid.NewGuid().ToString();

    /// <summary>The signing key of <paramref name="timestamp"/>: its HMAC-SHA256 keyed with the client secret, in base64.</summary>
    public static string SigningKey(string clientSecret, string timestamp) => HmacBase64(clientSecret, timestamp);

    /// <summary>The base64 SHA-256 of a POST's first <paramref name="maxBody"/> body bytes; empty for other methods and empty bodies.</summary>
    public static string ContentHash(string method, ReadOnlySpan<byte> body, int maxBody = DefaultMaxBody) =>
        string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase) && body.Length > 0
            ? Convert.ToBase64String(SHA256.HashData(body[..Math.Min(body.Length, maxBody)]))
            : "";

    /// <summary>The <c>Authorization</c> header value of the request, signed at <paramref name="timestamp"/> with <paramref name="nonce"/>.</summary>
    /// <param name="headers">The request's headers; those named in the signer's headers to sign are signed, and <c>Host</c>, when present, names the host.</param>
    public string Sign(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, string timestamp, string nonce)
    {
        var unsigned = $"{Moniker} client_token={_clientToken};access_token={_accessToken};timestamp={timestamp};nonce={nonce};";
        var data = DataToSign(method, uri, headers, body, unsigned);
        return unsigned + "signature=" + HmacBase64(SigningKey(_clientSecret, timestamp), data);
    }

    /// <summary>What is signed: method, scheme, host, path and query, canonical headers, content hash and the unsigned header, tab-separated.</summary>
    public string DataToSign(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, string unsignedAuthorization)
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            byName.TryAdd(name, value);
        }

        var host = byName.TryGetValue("Host", out var hostHeader) ? hostHeader : uri.Authority;
        var canonical = string.Join('\t', _headersToSign.Where(byName.ContainsKey).Select(name => name + ":" + CollapseSpaces(byName[name])));
        return string.Join(
            '\t',
            method.ToUpperInvariant(),
            uri.Scheme,
            host,
            uri.PathAndQuery,
            canonical,
            ContentHash(method, body, _maxBody),
            unsignedAuthorization);
    }

    // A header value is signed trimmed, each run of whitespace inside it one space.
    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string HmacBase64(string key, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));
}

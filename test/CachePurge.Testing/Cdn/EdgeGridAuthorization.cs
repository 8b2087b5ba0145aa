namespace CachePurge.Testing.Cdn;

/// <summary>The fields of an <c>EG1-HMAC-SHA256</c> <c>Authorization</c> header, as a server reads them.</summary>
public sealed record EdgeGridAuthorization(string ClientToken, string AccessToken, string Timestamp, string Nonce, string Signature)
{
    private const string Moniker = "EG1-HMAC-SHA256 ";

    /// <summary>The header up to its signature: what the client signed after the other request data.</summary>
    public string Unsigned => $"{Moniker}client_token={ClientToken};access_token={AccessToken};timestamp={Timestamp};nonce={Nonce};";

    /// <summary>Reads <paramref name="header"/>: the moniker, then <c>name=value</c> pairs separated by <c>;</c>, all five present.</summary>
    public static EdgeGridAuthorization? Parse(string header)
    {
        if (!header.StartsWith(Moniker, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in header[Moniker.Length..].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            // A signature is base64 and may end with '=': only the first '=' separates.
            fields[pair[..equals]] = pair[(equals + 1)..];
        }

        return fields.TryGetValue("client_token", out var client) && fields.TryGetValue("access_token", out var access)
            && fields.TryGetValue("timestamp", out var timestamp) && fields.TryGetValue("nonce", out var nonce) && fields.TryGetValue("signature", out var signature)
            ? new EdgeGridAuthorization(client, access, timestamp, nonce, signature)
            : null;
    }
}

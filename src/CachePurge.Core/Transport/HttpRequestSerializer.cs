using System.Net.Http;
using System.Text;

namespace CachePurge.Core.Transport;

/// <summary>
/// Writes a bodiless <see cref="HttpRequestMessage"/> as HTTP/1.1 bytes. Like SocketsHttpHandler,
/// it refuses header values that would break the framing (CR, LF, NUL) or that are not ASCII,
/// instead of sending something a cache could read as two requests. The rules are
/// <see cref="HttpFields"/>, which the settings are checked with too.
/// </summary>
internal static class HttpRequestSerializer
{
    public static byte[] Serialize(HttpRequestMessage request)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var builder = new StringBuilder(256);
        builder.Append(request.Method.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        Append(builder, "Host", request.Headers.Host ?? HostOf(uri));
        foreach (var header in request.Headers.NonValidated)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Append(builder, header.Key, header.Value.Count == 1 ? header.Value.ToString() : string.Join(", ", header.Value));
        }

        builder.Append("\r\n");
        var text = builder.ToString();

        // The request line may hold what a header value may: visible ASCII and spaces.
        if (!HttpFields.IsValue(text.AsSpan(0, text.IndexOf('\r'))))
        {
            throw new HttpRequestException(HttpRequestError.Unknown, $"The request line of {uri} contains characters HTTP/1.1 does not allow.");
        }

        return Encoding.ASCII.GetBytes(text);
    }

    private static void Append(StringBuilder builder, string name, string value)
    {
        if (!HttpFields.IsName(name) || !HttpFields.IsValue(value))
        {
            throw new HttpRequestException(HttpRequestError.Unknown, $"The request header '{name}' contains characters HTTP/1.1 does not allow.");
        }

        builder.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    private static string HostOf(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port}";
    }
}

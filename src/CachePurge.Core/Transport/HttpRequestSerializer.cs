using System.Buffers;
using System.Net.Http;
using System.Text;

namespace CachePurge.Core.Transport;

/// <summary>
/// Writes a bodiless <see cref="HttpRequestMessage"/> as HTTP/1.1 bytes. Like SocketsHttpHandler,
/// it refuses header values that would break the framing (CR, LF, NUL) or that are not ASCII,
/// instead of sending something a cache could read as two requests.
/// </summary>
internal static class HttpRequestSerializer
{
    // Visible ASCII, space and horizontal tab (RFC 9110 §5.5 field-value, without obs-text).
    private static readonly SearchValues<char> Allowed = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

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
        if (text.AsSpan(0, text.IndexOf('\r')).ContainsAnyExcept(Allowed))
        {
            throw new HttpRequestException(HttpRequestError.Unknown, $"The request line of {uri} contains characters HTTP/1.1 does not allow.");
        }

        return Encoding.ASCII.GetBytes(text);
    }

    private static void Append(StringBuilder builder, string name, string value)
    {
        if (value.AsSpan().ContainsAnyExcept(Allowed) || name.AsSpan().ContainsAnyExcept(Allowed) || name.Contains(':') || name.Contains(' '))
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

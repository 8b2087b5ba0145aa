using System.Globalization;
using System.Net.Http;
using System.Text;

namespace CachePurge.Core.Transport;

/// <summary>
/// Reads HTTP/1.1 responses (RFC 9112) from the bytes received so far: status line, headers, and a
/// body framed by <c>Content-Length</c>, chunked transfer coding or the end of the connection.
/// Interim 1xx responses are skipped. Caches answer purges with a few hundred bytes, so a response
/// is parsed again from its start when more bytes arrive rather than keeping parser state.
/// </summary>
internal static class HttpResponseParser
{
    public const int MaxHeaderBytes = 64 * 1024;
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Parses the response at the start of <paramref name="buffer"/>; null while the buffer does not hold it whole yet.
    /// </summary>
    /// <param name="isHead">The request was a HEAD: the response has no body whatever its headers say.</param>
    /// <param name="atEnd">The connection was closed after these bytes: a body without framing ends here.</param>
    /// <exception cref="HttpRequestException">The bytes are not an HTTP/1.x response.</exception>
    public static ParsedResponse? TryParse(ReadOnlySpan<byte> buffer, bool isHead, bool atEnd, out int consumed)
    {
        consumed = 0;
        var offset = 0;
        while (true)
        {
            var headerLength = buffer[offset..].IndexOf("\r\n\r\n"u8);
            if (headerLength < 0)
            {
                if (buffer.Length - offset > MaxHeaderBytes)
                {
                    throw Malformed($"headers longer than {MaxHeaderBytes} bytes");
                }

                if (atEnd && buffer.Length > offset)
                {
                    throw Malformed("the connection closed in the middle of the headers");
                }

                return null;
            }

            var head = Encoding.Latin1.GetString(buffer.Slice(offset, headerLength));
            var bodyStart = offset + headerLength + 4;
            var lines = head.Split("\r\n");
            var (version, status, reason) = ParseStatusLine(lines[0]);
            var headers = ParseHeaders(lines);

            // 100 Continue and friends come before the real answer to the same request.
            if (status is >= 100 and < 200 && status != 101)
            {
                offset = bodyStart;
                continue;
            }

            var close = WantsClose(version, headers);
            if (isHead || status is < 200 or 204 or 304)
            {
                consumed = bodyStart;
                return new ParsedResponse(status, reason, version, headers, [], close);
            }

            if (IsChunked(headers))
            {
                if (!TryReadChunked(buffer[bodyStart..], out var chunked, out var used))
                {
                    return Incomplete(atEnd);
                }

                consumed = bodyStart + used;
                return new ParsedResponse(status, reason, version, headers, chunked, close);
            }

            if (ContentLength(headers) is { } length)
            {
                if (buffer.Length - bodyStart < length)
                {
                    return Incomplete(atEnd);
                }

                consumed = bodyStart + length;
                return new ParsedResponse(status, reason, version, headers, buffer.Slice(bodyStart, length).ToArray(), close);
            }

            // No framing: the body runs to the end of the connection (RFC 9112 §6.3, rule 8).
            if (!atEnd)
            {
                if (buffer.Length - bodyStart > MaxBodyBytes)
                {
                    throw Malformed($"a body longer than {MaxBodyBytes} bytes");
                }

                return null;
            }

            consumed = buffer.Length;
            return new ParsedResponse(status, reason, version, headers, buffer[bodyStart..].ToArray(), CloseConnection: true);
        }
    }

    private static ParsedResponse? Incomplete(bool atEnd) =>
        atEnd ? throw Malformed("the connection closed in the middle of the body") : null;

    private static (Version Version, int Status, string Reason) ParseStatusLine(string line)
    {
        // HTTP/1.1 200 OK
        if (line.Length < 12 || !line.StartsWith("HTTP/1.", StringComparison.Ordinal) || line[8] != ' '
            || !int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100
            || (line.Length > 12 && line[12] != ' '))
        {
            throw Malformed($"the status line '{Truncate(line)}'");
        }

        var version = line[7] switch
        {
            '0' => System.Net.HttpVersion.Version10,
            '1' => System.Net.HttpVersion.Version11,
            _ => throw Malformed($"the status line '{Truncate(line)}'"),
        };
        return (version, status, line.Length > 13 ? line[13..] : "");
    }

    private static List<KeyValuePair<string, string>> ParseHeaders(string[] lines)
    {
        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[0] is ' ' or '\t' || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                throw Malformed($"the header line '{Truncate(line)}'");
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        return headers;
    }

    // These three run for every answer on the purge path: plain loops over spans, no LINQ or split strings.
    private static bool WantsClose(Version version, List<KeyValuePair<string, string>> headers)
    {
        bool close = false, keepAlive = false;
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan(range).Trim();
                close |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                keepAlive |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
            }
        }

        return close || (version == System.Net.HttpVersion.Version10 && !keepAlive);
    }

    private static bool IsChunked(List<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                && value.AsSpan(value.LastIndexOf(',') + 1).Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int? ContentLength(List<KeyValuePair<string, string>> headers)
    {
        int? length = null;
        foreach (var header in headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!int.TryParse(header.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (length is { } seen && seen != value))
            {
                throw Malformed($"Content-Length '{Truncate(header.Value)}'");
            }

            if (value > MaxBodyBytes)
            {
                throw Malformed($"a body longer than {MaxBodyBytes} bytes");
            }

            length = value;
        }

        return length;
    }

    private static bool TryReadChunked(ReadOnlySpan<byte> buffer, out byte[] body, out int consumed)
    {
        var output = new List<byte>();
        var position = 0;
        body = [];
        consumed = 0;
        while (true)
        {
            var lineLength = buffer[position..].IndexOf("\r\n"u8);
            if (lineLength < 0)
            {
                return false;
            }

            var sizeText = Encoding.Latin1.GetString(buffer.Slice(position, lineLength)).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0
                || output.Count + size > MaxBodyBytes)
            {
                throw Malformed($"the chunk size '{Truncate(sizeText)}'");
            }

            position += lineLength + 2;
            if (size == 0)
            {
                // Trailer fields, if any, end with an empty line.
                var trailers = buffer[position..].IndexOf("\r\n"u8);
                if (trailers < 0)
                {
                    return false;
                }

                if (trailers > 0)
                {
                    var end = buffer[position..].IndexOf("\r\n\r\n"u8);
                    if (end < 0)
                    {
                        return false;
                    }

                    trailers = end + 2;
                }

                consumed = position + trailers + 2;
                body = [.. output];
                return true;
            }

            if (buffer.Length - position < size + 2)
            {
                return false;
            }

            if (!buffer.Slice(position + size, 2).SequenceEqual("\r\n"u8))
            {
                throw Malformed("a chunk not followed by CRLF");
            }

            output.AddRange(buffer.Slice(position, size));
            position += size + 2;
        }
    }

    private static string Truncate(string text) => text.Length > 80 ? text[..80] + "…" : text;

    private static HttpRequestException Malformed(string what) =>
        new(HttpRequestError.InvalidResponse, $"The cache sent an invalid HTTP/1.1 response: {what}.");
}

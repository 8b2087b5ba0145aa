using System.Buffers;

namespace CachePurge.Core;

/// <summary>
/// What a purge request's headers may hold. <see cref="CachePurgeOptionsValidator"/> applies these rules to the
/// settings, so that a header the settings accept is one every purge can send: the settings page names a bad header
/// when it is typed, rather than the transport refusing each purge that carries it.
/// </summary>
public static class HttpFields
{
    // RFC 9110 §5.6.2 token characters.
    private static readonly SearchValues<char> NameChars = SearchValues.Create(
        "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~");

    // Visible ASCII, space and horizontal tab (RFC 9110 §5.5 field-value, without obs-text).
    private static readonly SearchValues<char> ValueChars = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    // Host is written from the site being purged; the framing headers would make a cache wait for a body or close a
    // connection that other purges share, and HTTP/2 forbids the connection-specific ones; HttpRequestMessage drops the
    // body headers from a request without a body.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Expect",
        "Content-Length", "Content-Type", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5",
        "Content-Range", "Content-Disposition", "Allow", "Expires", "Last-Modified",
    };

    /// <summary>Whether <paramref name="name"/> is a header name (an RFC 9110 token: letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>).</summary>
    public static bool IsName(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(NameChars);

    /// <summary>Whether a purge can carry <paramref name="value"/>: visible ASCII, spaces and tabs only.</summary>
    public static bool IsValue(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(ValueChars);

    /// <summary>The position of the first character of <paramref name="value"/> a header cannot carry, or -1.</summary>
    public static int IndexOfInvalidValueChar(string value) => value.AsSpan().IndexOfAnyExcept(ValueChars);

    /// <summary>Whether the purge request writes <paramref name="name"/> itself, so that a setting must not add it.</summary>
    public static bool IsReserved(string name) => Reserved.Contains(name);
}

using System.Text;

namespace CachePurge.Core;

/// <summary>
/// Turns what editors and code hand in into the site-relative path a cache keys on, and refuses
/// everything that is not a URL of this site. Equal URLs come out equal: dot segments are removed
/// and percent-encoding is normalised (RFC 3986 §6.2.2), so that de-duplication works.
/// </summary>
public sealed class PurgeUrlNormalizer
{
    /// <summary>Longest path accepted; longer input is refused rather than cut.</summary>
    public const int MaxLength = 2_048;

    private readonly SiteHost[] _hosts;
    private readonly string _pathBase;

    /// <param name="siteHosts">The site's public host names; absolute URLs on them are accepted.</param>
    /// <param name="pathBase">The site's path prefix (<c>/blog</c>), or empty.</param>
    public PurgeUrlNormalizer(IEnumerable<string> siteHosts, string? pathBase = null)
    {
        _hosts = [.. siteHosts.Select(h => SiteHost.TryParse(h, out var host) ? host.Value : throw new ArgumentException($"'{h}' is not a host name.", nameof(siteHosts)))];
        _pathBase = string.IsNullOrEmpty(pathBase) || pathBase == "/" ? "" : pathBase.TrimEnd('/');
    }

    /// <summary>
    /// Normalises <paramref name="url"/>. A relative path (<c>/about</c>) is taken relative to the site,
    /// so the path base is put in front of it; an absolute URL must be on one of the site's hosts and
    /// under its path base. The query is kept, the fragment dropped.
    /// </summary>
    public PurgeUrlResult Normalize(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return PurgeUrlResult.Refused("the URL is empty");
        }

        if (url.Length > MaxLength)
        {
            return PurgeUrlResult.Refused($"the URL is longer than {MaxLength} characters");
        }

        foreach (var c in url)
        {
            if (char.IsControl(c))
            {
                return PurgeUrlResult.Refused("the URL contains a control character (such as a line break)");
            }

            if (char.IsWhiteSpace(c))
            {
                return PurgeUrlResult.Refused("the URL contains white space");
            }

            if (c == '\\')
            {
                return PurgeUrlResult.Refused("the URL contains a backslash");
            }
        }

        if (url.StartsWith("//", StringComparison.Ordinal))
        {
            return PurgeUrlResult.Refused($"{url} is not on this site (a protocol-relative URL names another host)");
        }

        string pathAndQuery;
        if (url.StartsWith('/'))
        {
            pathAndQuery = _pathBase + url;
        }
        else
        {
            var schemeEnd = url.IndexOf(':');
            if (schemeEnd <= 0)
            {
                return PurgeUrlResult.Refused($"{url} is neither a path starting with '/' nor an http(s) URL");
            }

            var scheme = url[..schemeEnd];
            if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                return PurgeUrlResult.Refused($"the scheme '{scheme}:' is not allowed; only http and https URLs of this site");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || !url.AsSpan(schemeEnd).StartsWith("://"))
            {
                return PurgeUrlResult.Refused($"{url} is not a well-formed URL");
            }

            if (uri.UserInfo.Length > 0)
            {
                return PurgeUrlResult.Refused($"{url} contains a user name; it is not a page of this site");
            }

            if (!_hosts.Any(h => h.Matches(uri)))
            {
                return PurgeUrlResult.Refused($"{url} is not on this site");
            }

            // Take path and query from the original text: Uri would already have rewritten them.
            var authorityEnd = url.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
            pathAndQuery = authorityEnd < 0 ? "/" : url[authorityEnd..];
            if (!pathAndQuery.StartsWith('/'))
            {
                pathAndQuery = "/" + pathAndQuery;
            }
        }

        var fragment = pathAndQuery.IndexOf('#');
        if (fragment >= 0)
        {
            pathAndQuery = pathAndQuery[..fragment];
        }

        var queryStart = pathAndQuery.IndexOf('?');
        var rawPath = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        var rawQuery = queryStart < 0 ? null : pathAndQuery[(queryStart + 1)..];

        if (!TryNormalizeEncoding(rawPath, out var path) || (rawQuery is not null && !TryNormalizeEncoding(rawQuery, out rawQuery)))
        {
            return PurgeUrlResult.Refused($"{url} has a malformed percent-encoding");
        }

        path = RemoveDotSegments(path);
        if (_pathBase.Length > 0 && !IsUnder(path, _pathBase))
        {
            return PurgeUrlResult.Refused($"{url} is not under this site's path {_pathBase}");
        }

        var result = rawQuery is null ? path : path + "?" + rawQuery;
        return result.Length > MaxLength
            ? PurgeUrlResult.Refused($"the URL is longer than {MaxLength} characters")
            : PurgeUrlResult.Ok(result);
    }

    private static bool IsUnder(string path, string pathBase) =>
        path.StartsWith(pathBase, StringComparison.Ordinal) && (path.Length == pathBase.Length || path[pathBase.Length] is '/' or '?');

    /// <summary>Decodes unreserved characters, upper-cases the hex of the rest and encodes non-ASCII as UTF-8.</summary>
    private static bool TryNormalizeEncoding(string value, out string normalized)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    normalized = "";
                    return false;
                }

                var decoded = (char)Convert.ToByte(value.Substring(i + 1, 2), 16);
                if (IsUnreserved(decoded))
                {
                    builder.Append(decoded);
                }
                else
                {
                    builder.Append('%').Append(char.ToUpperInvariant(value[i + 1])).Append(char.ToUpperInvariant(value[i + 2]));
                }

                i += 2;
            }
            else if (c > 127)
            {
                var length = char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1;
                foreach (var b in Encoding.UTF8.GetBytes(value.Substring(i, length)))
                {
                    builder.Append('%').Append(b.ToString("X2"));
                }

                i += length - 1;
            }
            else if (c is '"' or '<' or '>' or '`' or '{' or '}' or '|' or '^')
            {
                builder.Append('%').Append(((int)c).ToString("X2"));
            }
            else
            {
                builder.Append(c);
            }
        }

        normalized = builder.ToString();
        return true;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    /// <summary>RFC 3986 §5.2.4, on a path that starts with '/'.</summary>
    private static string RemoveDotSegments(string path)
    {
        if (!path.Contains('.'))
        {
            return path;
        }

        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment == ".")
            {
                if (isLast)
                {
                    output.Add("");
                }
            }
            else if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (isLast)
                {
                    output.Add("");
                }
            }
            else
            {
                output.Add(segment);
            }
        }

        return "/" + string.Join('/', output);
    }
}

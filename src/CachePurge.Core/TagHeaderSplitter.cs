using System.Text;

namespace CachePurge.Core;

/// <summary>
/// Caches and the proxies in front of them limit header length (Varnish's default
/// http_req_hdr_len is 8 KB), so a long tag list is sent as several space-separated header
/// values, each at most the configured number of bytes.
/// </summary>
public static class TagHeaderSplitter
{
    public static IReadOnlyList<string> Split(IEnumerable<string> tags, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        List<string> values = [];
        var current = new StringBuilder();
        foreach (var tag in tags)
        {
            if (Encoding.UTF8.GetByteCount(tag) > maxBytes)
            {
                throw new ArgumentException($"The tag '{tag[..Math.Min(40, tag.Length)]}…' alone is longer than {maxBytes} bytes.", nameof(tags));
            }

            // Tags are ASCII (checked when added), so the builder's length is the byte count.
            var needed = current.Length == 0 ? tag.Length : current.Length + 1 + tag.Length;
            if (needed > maxBytes)
            {
                values.Add(current.ToString());
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(tag);
        }

        if (current.Length > 0)
        {
            values.Add(current.ToString());
        }

        return values;
    }
}

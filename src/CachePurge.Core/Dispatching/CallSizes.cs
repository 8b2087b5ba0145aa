using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// How many targets one call to an endpoint carries, from what its backend declares: paths one at a time per host for a
/// cache asked directly, or as many absolute URLs as one CDN call takes; tags as many as fit the header or the call.
/// </summary>
internal sealed class CallSizes(BackendCapabilities capabilities, int hosts, int schemes, int tagHeaderLimit)
{
    /// <summary>The URLs one path becomes, sent in one call or host by host.</summary>
    public int UrlsPerPath { get; } = capabilities.UrlsPerPath(hosts, schemes);

    public int PathsPerCall { get; } = capabilities.PathsPerCall(hosts, schemes);

    /// <summary>The most URLs one call names, for the rate buckets that count URLs.</summary>
    public int MaxUrlsPerCall => PathsPerCall * UrlsPerPath;

    /// <summary>How many ready targets one batch worker takes at a time: tags in a header are all taken and split by length.</summary>
    public int MaxTaken(PurgeTargetKind kind) => kind == PurgeTargetKind.Path
        ? PathsPerCall
        : capabilities.TagsInHeader ? int.MaxValue : capabilities.TagsPerCall;

    /// <summary>The URLs a call of <paramref name="count"/> targets names (what a bucket counting URLs draws).</summary>
    public int Urls(PurgeTargetKind kind, int count) => kind == PurgeTargetKind.Path ? count * UrlsPerPath : count;

    /// <summary>Splits <paramref name="values"/> into the calls that carry them, in order.</summary>
    public IEnumerable<IReadOnlyList<string>> Split(PurgeTargetKind kind, List<string> values)
    {
        if (kind == PurgeTargetKind.Tag && capabilities.TagsInHeader)
        {
            // Tags are single tokens (checked when added), so the header values split back into them at the spaces.
            return TagHeaderSplitter.Split(values, tagHeaderLimit).SelectMany(header => header.Split(' ').Chunk(capabilities.TagsPerCall));
        }

        var chunks = values.Chunk(MaxTaken(kind));
        return capabilities is { MaxCallBytes: > 0, TargetBytes: { } bytes } ? chunks.SelectMany(chunk => SplitByBytes(kind, chunk, capabilities.MaxCallBytes, bytes)) : chunks;
    }

    // As many targets as fit the body, in order; a target larger than the body alone goes alone (and the backend refuses it).
    private static IEnumerable<string[]> SplitByBytes(PurgeTargetKind kind, string[] values, int maxBytes, Func<PurgeTargetKind, string, int> bytes)
    {
        var start = 0;
        var size = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var next = bytes(kind, values[i]);
            if (i > start && size + next > maxBytes)
            {
                yield return values[start..i];
                start = i;
                size = 0;
            }

            size += next;
        }

        if (start < values.Length)
        {
            yield return values[start..];
        }
    }
}

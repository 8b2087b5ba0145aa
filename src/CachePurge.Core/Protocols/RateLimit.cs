namespace CachePurge.Core.Protocols;

/// <summary>
/// One token bucket a backend enforces, as documented: <paramref name="Burst"/> tokens, <paramref name="Refill"/> more
/// each <paramref name="Period"/>. Calls for the target kinds listed in <paramref name="Kinds"/> (all kinds when empty)
/// draw from it, one token a call, or one a URL when <paramref name="PerUrl"/>. Limits with the same name share a bucket.
/// </summary>
internal sealed record RateLimit(string Name, PurgeTargetKind[] Kinds, int Burst, int Refill, TimeSpan Period, bool PerUrl = false)
{
    public bool Applies(PurgeTargetKind kind) => Kinds.Length == 0 || Kinds.Contains(kind);

    /// <summary>The endpoint's own <see cref="CacheEndpoint.RequestsPerSecond"/>: a tenth of a second's worth at a time.</summary>
    public static RateLimit? RequestsPerSecond(int requestsPerSecond) => requestsPerSecond <= 0
        ? null
        : new("requests", [], Math.Max(1, requestsPerSecond / 10), Math.Max(1, requestsPerSecond / 10), TimeSpan.FromMilliseconds(100));
}

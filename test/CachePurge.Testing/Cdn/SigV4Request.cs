namespace CachePurge.Testing.Cdn;

/// <summary>A request as a SigV4 verifier sees it: the method, the path and query as sent, every header and the body.</summary>
public sealed record SigV4Request(string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Every value of the header <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> Values(string name) => Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => Values(name).FirstOrDefault();
}

namespace CachePurge.Core.Transport;

/// <summary>One HTTP/1.1 response read off a pipelined connection, before it becomes an <see cref="HttpResponseMessage"/>.</summary>
internal sealed record ParsedResponse(
    int Status,
    string Reason,
    Version Version,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    bool CloseConnection);

namespace CachePurge.Core.Tests.Infrastructure;

public sealed record RecordedRequest(string Method, string PathAndQuery, string Host, IReadOnlyDictionary<string, string> Headers);

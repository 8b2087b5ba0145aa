namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>One request as <see cref="RawHttpServer"/> read it.</summary>
/// <param name="Number">1-based, over all connections, in the order of arrival.</param>
/// <param name="Connection">1-based number of the connection it came on.</param>
/// <param name="Headers">The header lines as sent, <c>Name: value</c>.</param>
public sealed record RawRequest(int Number, int Connection, string Method, string Path, IReadOnlyList<string> Headers);

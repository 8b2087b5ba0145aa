namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>How <see cref="RawHttpServer"/> answers one request.</summary>
/// <param name="Delay">Time to wait before answering; the connection's later requests wait too, other connections do not.</param>
/// <param name="Stray">An answer no request asked for, written right after this one.</param>
public sealed record RawAnswer(int Status, TimeSpan Delay = default, RawAnswer? Stray = null)
{
    public static RawAnswer Ok { get; } = new(200);
}

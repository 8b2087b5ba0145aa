namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>A request <see cref="RawHttpServer"/> answered, with the status of its own answer.</summary>
public sealed record RawExchange(RawRequest Request, int Status);

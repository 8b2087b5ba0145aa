using System.Net;

namespace CachePurge.Testing.Cdn;

/// <summary>One call a CDN contract server received: what it purged (<c>files</c>, <c>tags</c>, <c>url</c>, …), its items, whether soft, and the status it got.</summary>
public sealed record CdnCall(HttpStatusCode Status, string Member, string[] Items, bool Soft = false);

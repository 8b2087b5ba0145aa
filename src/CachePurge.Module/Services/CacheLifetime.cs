namespace CachePurge.Module.Services;

/// <summary>How long shared caches may keep a page, and the rule that said so.</summary>
/// <param name="SharedSeconds">0 means shared caches must not keep it.</param>
/// <param name="RuleName">The content type or the path rule that applied; null for the other kinds.</param>
public sealed record CacheLifetime(int SharedSeconds, CachePolicyRuleKind Rule, string RuleName = null);

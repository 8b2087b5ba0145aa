namespace CachePurge.Core;

/// <summary>
/// How many invalidation paths a CloudFront cache sent this month (UTC, as AWS bills), against the site's budget:
/// beyond the budget its paths are collapsed into wildcards. AWS charges each path beyond the account's first 1,000 a
/// month, whichever sites and tools sent them.
/// </summary>
/// <param name="Endpoint">The cache's name.</param>
/// <param name="Month">The month counted, <c>yyyy-MM</c>.</param>
/// <param name="Paths">Paths sent this month, a wildcard counting as one.</param>
/// <param name="Budget">The cache's <see cref="CacheEndpoint.MonthlyPathBudget"/>.</param>
public sealed record InvalidationPathCount(string Endpoint, string Month, int Paths, int Budget)
{
    /// <summary>Whether the budget is spent, so that further paths are collapsed into wildcards.</summary>
    public bool BudgetSpent => Paths >= Budget;
}

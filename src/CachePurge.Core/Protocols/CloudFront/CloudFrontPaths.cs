namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// Collapses site paths into CloudFront wildcards, deepest first, so that a call names at most a given number of
/// paths: <c>/blog/post-1</c> and <c>/blog/post-2</c> become <c>/blog/*</c>, a page's query versions
/// <c>/search?q=1</c> become <c>/search*</c>. AWS charges a wildcard as one path however many files it removes
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Invalidation.html). Never above the
/// site's path base, and never to the site's everything (<c>/*</c>) unless allowed.
/// </summary>
internal static class CloudFrontPaths
{
    /// <summary>The most wildcard paths a distribution has in progress; a call with more is always refused.</summary>
    public const int MaxWildcardsInProgress = 15;

    /// <summary>
    /// <paramref name="paths"/> in at most <paramref name="target"/> paths and <see cref="MaxWildcardsInProgress"/>
    /// wildcards where that can be done, else as few as can be; sorted.
    /// </summary>
    public static IReadOnlyList<string> Collapse(IReadOnlyList<string> paths, int target, string pathBase, bool mayPurgeEverything)
    {
        var everything = Everything(pathBase);
        List<string> collapsed = [.. paths.Distinct(StringComparer.Ordinal)];
        while (!Fits(collapsed, target))
        {
            // The deepest paths that can go up a level, by the wildcard that replaces them, the largest group first.
            var candidates = collapsed
                .Select(path => (Path: path, Parent: Parent(path, pathBase)))
                .Where(c => c.Parent is not null && (c.Parent != everything || mayPurgeEverything))
                .ToList();
            if (candidates.Count == 0)
            {
                break;
            }

            var deepest = candidates.Max(c => Depth(c.Path));
            var groups = candidates
                .Where(c => Depth(c.Path) == deepest)
                .GroupBy(c => c.Parent!, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                collapsed = Cover(collapsed, group.Key);
                if (Fits(collapsed, target))
                {
                    break;
                }
            }
        }

        collapsed.Sort(StringComparer.Ordinal);
        return collapsed;
    }

    /// <summary>Every page of the site as one wildcard: <c>/*</c>, or <c>/blog/*</c> under a path base.</summary>
    public static string Everything(string pathBase) => pathBase + "/*";

    public static int Wildcards(IEnumerable<string> paths) => paths.Count(IsWildcard);

    public static bool IsWildcard(string path) => path.EndsWith('*');

    private static bool Fits(List<string> paths, int target) => paths.Count <= target && Wildcards(paths) <= MaxWildcardsInProgress;

    /// <summary>The wildcard one level up: <c>/a/b</c> and <c>/a/b?x</c>'s folder <c>/a/*</c> (or <c>/a/b*</c> for a query), <c>/a/*</c>'s <c>/*</c>; null above the path base.</summary>
    private static string? Parent(string path, string pathBase)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        string parent;
        if (query >= 0 && !IsWildcard(path))
        {
            // Every query version of the page, as CloudFront's guide suggests for a page cached per query string.
            parent = path[..query] + "*";
        }
        else
        {
            var part = IsWildcard(path) ? path[..^1] : path;
            var folder = part.EndsWith('/') && IsWildcard(path) ? part[..^1] : part;
            var slash = folder.LastIndexOf('/');
            if (slash < 0)
            {
                return null;
            }

            parent = folder[..(slash + 1)] + "*";
        }

        return parent != path && parent.StartsWith(pathBase + "/", StringComparison.Ordinal) ? parent : null;
    }

    /// <summary>How deep a path lies: two a folder level, one more for a page than for the wildcard of its folder.</summary>
    private static int Depth(string path)
    {
        var part = IsWildcard(path) ? path[..^1] : path.Split('?', 2)[0];
        return (2 * part.Count(c => c == '/')) + (IsWildcard(path) ? 0 : 1);
    }

    /// <summary><paramref name="paths"/> with <paramref name="wildcard"/> in place of every path it covers.</summary>
    private static List<string> Cover(List<string> paths, string wildcard)
    {
        var prefix = wildcard[..^1];
        return [.. paths.Where(p => !p.StartsWith(prefix, StringComparison.Ordinal)), wildcard];
    }
}

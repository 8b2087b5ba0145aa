using System.Text.RegularExpressions;
using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;

namespace CachePurge.Module.Services;

/// <summary>
/// The tenant's cache policy: which rule gives a page its shared lifetime. The response headers and the editor's
/// preview both resolve lifetimes here.
/// </summary>
public sealed class CachePolicy
{
    // A path pattern is the site owner's own; a pathological one must not hold a request.
    private static readonly TimeSpan _matchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly List<(CachePolicyPathRule Rule, Regex Pattern)> _paths = [];

    public CachePolicy(CachePolicySettings settings)
    {
        Settings = settings;
        foreach (var rule in settings.Paths)
        {
            var match = rule.Match?.Trim() ?? "";
            if (match.StartsWith('^'))
            {
                // Checked when saved; a pattern that no longer compiles matches nothing.
                if (TryCreatePattern(match, out var pattern, out _))
                {
                    _paths.Add((rule, pattern));
                }
            }
            else if (match.StartsWith('/'))
            {
                _paths.Add((rule, null));
            }
        }
    }

    public CachePolicySettings Settings { get; }

    /// <summary>
    /// The lifetime of a page: its status's own for a 404 or 301; else the home page's, when set; else its content
    /// type's; else the first path rule's that matches; else the site default.
    /// </summary>
    public CacheLifetime Resolve(CachePolicyRequest request)
    {
        if (request.StatusCode == StatusCodes.Status404NotFound)
        {
            return new(Settings.NotFoundSeconds, CachePolicyRuleKind.NotFound);
        }

        if (request.StatusCode == StatusCodes.Status301MovedPermanently)
        {
            return new(Settings.RedirectSeconds, CachePolicyRuleKind.Redirect);
        }

        if (request.IsHomePage && Settings.HomePageSeconds is { } homePageSeconds)
        {
            return new(homePageSeconds, CachePolicyRuleKind.HomePage);
        }

        if (!string.IsNullOrEmpty(request.ContentType)
            && Settings.ContentTypes.FirstOrDefault(r => string.Equals(r.ContentType?.Trim(), request.ContentType, StringComparison.OrdinalIgnoreCase)) is { } typeRule)
        {
            return new(typeRule.Seconds, CachePolicyRuleKind.ContentType, request.ContentType);
        }

        var path = string.IsNullOrEmpty(request.Path) ? "/" : request.Path;
        foreach (var (rule, pattern) in _paths)
        {
            if (pattern is null ? IsUnderPrefix(path, rule.Match.Trim()) : IsMatch(pattern, path))
            {
                return new(rule.Seconds, CachePolicyRuleKind.Path, rule.Match.Trim());
            }
        }

        return new(Settings.DefaultSeconds, CachePolicyRuleKind.Default);
    }

    /// <summary>Compiles a path pattern as the policy uses it; false with the reason when it is not a valid regular expression.</summary>
    public static bool TryCreatePattern(string match, out Regex pattern, out string error)
    {
        try
        {
            pattern = new Regex(match, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, _matchTimeout);
            error = null;
            return true;
        }
        catch (ArgumentException exception)
        {
            pattern = null;
            error = exception.Message;
            return false;
        }
    }

    // Whole segments: "/feeds" covers "/feeds" and "/feeds/rss", not "/feedsx"; "/" covers every path.
    private static bool IsUnderPrefix(string path, string prefix) =>
        prefix == "/" || new PathString(path).StartsWithSegments(new PathString(prefix.TrimEnd('/')), StringComparison.OrdinalIgnoreCase);

    private static bool IsMatch(Regex pattern, string path)
    {
        try
        {
            return pattern.IsMatch(path);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Localization;

namespace CachePurge.Module.Services;

/// <summary>
/// How the admin pages word a <see cref="CacheLifetime"/>: the content item editor's preview and the operations page's
/// recent requests say it the same way, and translators see the phrases once.
/// </summary>
public sealed class CacheLifetimeText
{
    internal readonly IHtmlLocalizer H;

    public CacheLifetimeText(IHtmlLocalizer<CacheLifetimeText> htmlLocalizer)
    {
        H = htmlLocalizer;
    }

    /// <summary>A lifetime in the largest whole unit, e.g. "1 day" or "90 seconds".</summary>
    public IHtmlContent Duration(int seconds) =>
        seconds >= 86400 && seconds % 86400 == 0 ? H.Plural(seconds / 86400, "1 day", "{0} days")
        : seconds >= 3600 && seconds % 3600 == 0 ? H.Plural(seconds / 3600, "1 hour", "{0} hours")
        : seconds >= 60 && seconds % 60 == 0 ? H.Plural(seconds / 60, "1 minute", "{0} minutes")
        : H.Plural(seconds, "1 second", "{0} seconds");

    /// <summary>The rule that gave the lifetime, e.g. "the rule for content type Page".</summary>
    public IHtmlContent Rule(CacheLifetime lifetime) => lifetime.Rule switch
    {
        CachePolicyRuleKind.HomePage => H["the home page rule"],
        CachePolicyRuleKind.ContentType => H["the rule for content type {0}", lifetime.RuleName],
        CachePolicyRuleKind.Path => H["the path rule {0}", lifetime.RuleName],
        CachePolicyRuleKind.NotFound => H["the rule for pages not found"],
        CachePolicyRuleKind.Redirect => H["the rule for permanent redirects"],
        _ => H["the site default"],
    };
}

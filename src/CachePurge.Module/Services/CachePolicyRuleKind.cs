namespace CachePurge.Module.Services;

/// <summary>Which rule of the cache policy gave a page its lifetime, in the order they are tried.</summary>
public enum CachePolicyRuleKind
{
    /// <summary>A 404 answer: <c>NotFoundSeconds</c>.</summary>
    NotFound,

    /// <summary>A 301 answer: <c>RedirectSeconds</c>.</summary>
    Redirect,

    /// <summary>The home page: <c>HomePageSeconds</c>, when set.</summary>
    HomePage,

    /// <summary>A page that displays an item of a content type with a rule.</summary>
    ContentType,

    /// <summary>The first path rule that matches.</summary>
    Path,

    /// <summary>None of the above: <c>DefaultSeconds</c>.</summary>
    Default,
}

namespace CachePurge.Module.Services;

/// <summary>What the lifetime of a page depends on.</summary>
/// <param name="StatusCode">200, 301 or 404: the answers a shared cache may keep.</param>
/// <param name="Path">The path within the tenant, without its URL prefix, e.g. <c>/blog/post</c>.</param>
/// <param name="ContentType">The type of the content item the route displays; null for other pages.</param>
/// <param name="IsHomePage">Whether the page is the site's home page, at <c>/</c> or at the home item's own path.</param>
public readonly record struct CachePolicyRequest(int StatusCode, string Path, string ContentType, bool IsHomePage);

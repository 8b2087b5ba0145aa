using Microsoft.AspNetCore.Routing;
using OrchardCore.ContentManagement.Routing;

namespace CachePurge.Module.Services;

/// <summary>The content item a route displays, as Orchard's Autoroute, home route and content item route name it.</summary>
public static class ContentRoute
{
    /// <summary>
    /// The id of the item <paramref name="values"/> display: they carry the content display action
    /// (<see cref="AutorouteOptions.GlobalRouteValues"/>) and the item's id. Null for any other route.
    /// </summary>
    public static string DisplayedContentItemId(RouteValueDictionary values, AutorouteOptions options)
    {
        if (values is null)
        {
            return null;
        }

        foreach (var (key, expected) in options.GlobalRouteValues)
        {
            if (!values.TryGetValue(key, out var actual) || !string.Equals(actual?.ToString(), expected?.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        var idKey = string.IsNullOrEmpty(options.ContentItemIdKey) ? "contentItemId" : options.ContentItemIdKey;
        return values.TryGetValue(idKey, out var id) && !string.IsNullOrEmpty(id?.ToString()) ? id.ToString() : null;
    }
}

namespace CachePurge.Module.Services;

/// <summary>Whether a shared cache may keep a response, and if not, why.</summary>
public enum SharedCacheVerdict
{
    /// <summary>An anonymous 200, 301 or 404 answer to a GET or HEAD of a front-end page.</summary>
    Shareable,

    /// <summary>Not a GET or HEAD: caches store neither.</summary>
    Method,

    /// <summary>An answer other than 200, 301 or 404, e.g. a 302 to the login page or an error.</summary>
    Status,

    /// <summary>The page itself said <c>private</c>, <c>no-store</c> or <c>no-cache</c>, as a form's antiforgery token does.</summary>
    PageForbids,

    /// <summary>The answer sets a cookie, which belongs to one visitor.</summary>
    SetsCookie,

    /// <summary>A signed-in user's view.</summary>
    SignedIn,

    /// <summary>An admin page.</summary>
    Admin,

    /// <summary>A preview of a content item that is not published as it looks.</summary>
    Preview,

    /// <summary>A page of one visitor's account: log in, log off, registration, password, two-factor authentication.</summary>
    UserRoute,
}

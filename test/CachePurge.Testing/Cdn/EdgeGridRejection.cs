using System.Net;

namespace CachePurge.Testing.Cdn;

/// <summary>
/// How Akamai's API gateway refuses a request before the API sees it: a problem of type <c>…/-/pep-authn/deny</c>
/// (401 Not authorized) or <c>…/-/pep-authn/request-error</c> (400 Bad request, e.g. "Invalid timestamp").
/// </summary>
public sealed record EdgeGridRejection(HttpStatusCode Status, string Type, string Title, string Detail)
{
    public static EdgeGridRejection Deny(string detail) =>
        new(HttpStatusCode.Unauthorized, "https://problems.purge.akamaiapis.net/-/pep-authn/deny", "Not authorized", detail);

    public static EdgeGridRejection BadRequest(string detail) =>
        new(HttpStatusCode.BadRequest, "https://problems.purge.akamaiapis.net/-/pep-authn/request-error", "Bad request", detail);
}

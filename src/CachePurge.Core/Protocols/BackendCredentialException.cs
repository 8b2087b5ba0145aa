namespace CachePurge.Core.Protocols;

/// <summary>
/// A backend's credentials gave no access token (Entra ID refused the secret, no managed identity is there), so no
/// request could be made. An <see cref="HttpRequestException"/>, so that the sender counts it as a request that got no
/// answer: a failed delivery with this message, retried later, never an exception out of the queue.
/// </summary>
internal sealed class BackendCredentialException(string message, bool refused, Exception inner) : HttpRequestException(message, inner)
{
    /// <summary>True when the credentials were refused (a wrong secret), false when they could not be used at all.</summary>
    public bool Refused { get; } = refused;
}

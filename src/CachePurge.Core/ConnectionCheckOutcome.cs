namespace CachePurge.Core;

/// <summary>What a CDN said when its credentials were checked.</summary>
public enum ConnectionCheckOutcome
{
    /// <summary>The credentials are accepted and reach what the cache is set up to purge.</summary>
    Succeeded,

    /// <summary>The CDN refused the credentials (HTTP 401 or 403).</summary>
    Refused,

    /// <summary>Anything else: the zone or service is not found, the CDN did not answer, or answered an error.</summary>
    Failed,
}

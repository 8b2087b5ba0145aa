using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// Signs CloudFront's requests with AWS Signature Version 4, through AWSSDK.Core's signer. CloudFront is a global
/// service signed in us-east-1, and its service name is given explicitly: derived from the host, it would be wrong
/// for any endpoint other than cloudfront.amazonaws.com (a test's contract server), and the signature refused.
/// </summary>
internal sealed class CloudFrontSigner(CacheEndpoint endpoint, TimeProvider time)
{
    public const string Service = "cloudfront";

    private AWSCredentials? _credentials;

    /// <summary>Adds <c>Authorization</c>, <c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c> and, for temporary credentials, <c>X-Amz-Security-Token</c>.</summary>
    public void Sign(HttpRequestMessage request, byte[]? body)
    {
        // Made on first use: a protocol built only to read the capabilities of an endpoint has no credentials yet.
        var credentials = _credentials ??= string.IsNullOrEmpty(endpoint.SessionToken)
            ? new BasicAWSCredentials(endpoint.AccessKeyId, endpoint.ApiToken)
            : new SessionAWSCredentials(endpoint.AccessKeyId, endpoint.ApiToken, endpoint.SessionToken);
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.RequestUri!, Content = body };
        var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.USEast1,
            Service = Service,
            SignPayload = true,
            SignedAt = time.GetUtcNow().UtcDateTime,
        });

        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}

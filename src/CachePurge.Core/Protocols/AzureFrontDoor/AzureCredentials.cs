using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace CachePurge.Core.Protocols.AzureFrontDoor;

/// <summary>
/// The Azure.Identity credential an Azure Front Door cache signs in with, as its settings choose: a client secret, a
/// managed identity, or workload identity. The credential caches its token and renews it before it expires.
/// </summary>
internal static class AzureCredentials
{
    /// <summary>The public cloud's Entra ID, when no authority host is set.</summary>
    public static readonly Uri PublicCloud = AzureAuthorityHosts.AzurePublicCloud;

    /// <param name="signInClient">The HTTP client token requests go through; null for Azure.Identity's own.</param>
    public static TokenCredential For(CacheEndpoint endpoint, HttpClient? signInClient)
    {
        var authority = string.IsNullOrWhiteSpace(endpoint.AzureAuthorityHost) ? PublicCloud : new Uri(endpoint.AzureAuthorityHost);
        var transport = signInClient is null ? null : new HttpClientTransport(signInClient);
        switch (endpoint.AzureCredential)
        {
            case AzureCredentialKind.ManagedIdentity:
                var identity = string.IsNullOrWhiteSpace(endpoint.AzureClientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(endpoint.AzureClientId);
                var managed = new ManagedIdentityCredentialOptions(identity) { AuthorityHost = authority };
                SetTransport(managed, transport);
                return new ManagedIdentityCredential(managed);

            case AzureCredentialKind.WorkloadIdentity:
                // The token file comes from AZURE_FEDERATED_TOKEN_FILE, as the cluster's webhook sets it.
                var workload = new WorkloadIdentityCredentialOptions
                {
                    AuthorityHost = authority,
                    TenantId = string.IsNullOrWhiteSpace(endpoint.AzureTenantId) ? null : endpoint.AzureTenantId,
                    ClientId = string.IsNullOrWhiteSpace(endpoint.AzureClientId) ? null : endpoint.AzureClientId,
                    DisableInstanceDiscovery = authority != PublicCloud,
                };
                SetTransport(workload, transport);
                return new WorkloadIdentityCredential(workload);

            default:
                var secret = new ClientSecretCredentialOptions
                {
                    AuthorityHost = authority,

                    // Instance discovery asks the public cloud about the authority: of no use for one set on purpose.
                    DisableInstanceDiscovery = authority != PublicCloud,
                };
                SetTransport(secret, transport);
                return new ClientSecretCredential(endpoint.AzureTenantId, endpoint.AzureClientId, endpoint.ApiToken, secret);
        }
    }

    private static void SetTransport(ClientOptions options, HttpClientTransport? transport)
    {
        if (transport is not null)
        {
            options.Transport = transport;
        }
    }
}

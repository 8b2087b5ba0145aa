namespace CachePurge.Core;

/// <summary>How an Azure Front Door cache signs in to Entra ID (through Azure.Identity) for its Azure Resource Manager tokens.</summary>
public enum AzureCredentialKind
{
    /// <summary>An app registration's client secret: <see cref="CacheEndpoint.AzureTenantId"/>, <see cref="CacheEndpoint.AzureClientId"/> and the secret in <see cref="CacheEndpoint.ApiToken"/>.</summary>
    ClientSecret,

    /// <summary>The managed identity of the machine the site runs on (App Service, a VM, AKS): system-assigned, or user-assigned with its client id.</summary>
    ManagedIdentity,

    /// <summary>Workload identity federation (AKS): the tenant and client id, with the token file the cluster gives in <c>AZURE_FEDERATED_TOKEN_FILE</c>.</summary>
    WorkloadIdentity,
}

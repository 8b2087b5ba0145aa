using CachePurge.Core;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CachePurge.Module.ViewModels;

public sealed class CachePurgeCacheViewModel
{
    public string Name { get; set; }

    public string BaseUrl { get; set; }

    public CacheKind Kind { get; set; }

    public int TimeoutSeconds { get; set; }

    public int MaxConcurrency { get; set; }

    public int RequestsPerSecond { get; set; }

    public string PurgePathPrefix { get; set; }

    public string Method { get; set; }

    public string PathTemplate { get; set; }

    public string TagHeader { get; set; }

    public bool ConfirmEviction { get; set; }

    public bool SoftPurge { get; set; }

    public bool Http2 { get; set; }

    public string ZoneId { get; set; }

    public string ServiceId { get; set; }

    /// <summary>Write-only: never filled from the stored settings; left empty, the stored token is kept.</summary>
    public string ApiToken { get; set; }

    /// <summary>Whether a token is stored, so that the page can say that an empty field keeps it.</summary>
    [BindNever]
    public bool HasApiToken { get; set; }

    public CloudflarePlan CloudflarePlan { get; set; }

    // The defaults of a new cache, which the form of a kind picked in the browser starts from.
    public int ItemsPerCall { get; set; } = 100;

    /// <summary>Cloudflare: the schemes, comma-separated, e.g. <c>https, http</c>.</summary>
    public string Schemes { get; set; } = "https";

    public bool NeverPurgeEverything { get; set; }

    /// <summary>Akamai: write-only, as <see cref="ApiToken"/> (which holds its client secret).</summary>
    public string ClientToken { get; set; }

    [BindNever]
    public bool HasClientToken { get; set; }

    /// <summary>Akamai: write-only, as <see cref="ApiToken"/>.</summary>
    public string AccessToken { get; set; }

    [BindNever]
    public bool HasAccessToken { get; set; }

    public AkamaiNetwork AkamaiNetwork { get; set; } = AkamaiNetwork.Production;

    public AkamaiPurgeAction AkamaiPurgeAction { get; set; }

    /// <summary>Akamai: the CP codes, comma-separated, e.g. <c>12345, 98765</c>.</summary>
    public string CpCodes { get; set; }

    public string PullZoneId { get; set; }

    public string DistributionId { get; set; }

    public string AccessKeyId { get; set; }

    public int MonthlyPathBudget { get; set; } = 1_000;

    public string AzureSubscriptionId { get; set; }

    public string AzureResourceGroup { get; set; }

    public string AzureProfile { get; set; }

    public string AzureEndpoint { get; set; }

    public AzureCredentialKind AzureCredential { get; set; }

    public string AzureTenantId { get; set; }

    public string AzureClientId { get; set; }

    public string AzureAuthorityHost { get; set; }

    /// <summary>Extra headers, one <c>Name: value</c> per line.</summary>
    public string Headers { get; set; }

    /// <summary>Secret headers, one <c>Name: value</c> per line; a line with the name alone keeps the stored value.</summary>
    public string SecretHeaders { get; set; }

    /// <summary>Names of the secret headers already stored; their values are never sent back to the browser.</summary>
    [BindNever]
    public IReadOnlyList<string> StoredSecretNames { get; set; } = [];

    /// <summary>nginx alone purges through a location of its own.</summary>
    public static bool UsesPurgePathPrefix(CacheKind kind) => kind == CacheKind.Nginx;

    /// <summary>Generic alone is told which method and path make a purge.</summary>
    public static bool UsesMethodAndPathTemplate(CacheKind kind) => kind == CacheKind.Generic;

    /// <summary>Varnish and Fastly can mark a page stale rather than remove it.</summary>
    public static bool UsesSoftPurge(CacheKind kind) => kind is CacheKind.Varnish or CacheKind.Fastly;

    /// <summary>A CDN is reached through its API: an id, a token, call sizes and a switch against purging everything.</summary>
    public static bool IsCdn(CacheKind kind) => kind is CacheKind.Cloudflare or CacheKind.Fastly or CacheKind.Akamai or CacheKind.Bunny or CacheKind.CloudFront or CacheKind.AzureFrontDoor;

    /// <summary>Cloudflare, Akamai and Bunny key pages by scheme: each page is purged as a URL of each.</summary>
    public static bool UsesSchemes(CacheKind kind) => kind is CacheKind.Cloudflare or CacheKind.Akamai or CacheKind.Bunny;

    /// <summary>A cache asked for pages directly can have a purge confirmed by fetching the page; a CDN's API cannot.</summary>
    public static bool UsesConfirmEviction(CacheKind kind) => !IsCdn(kind);

    /// <summary>Squid and nginx cannot purge by tag.</summary>
    public static bool UsesTagHeader(CacheKind kind) => kind is CacheKind.Varnish or CacheKind.Generic;
}

using Microsoft.Extensions.Options;

namespace CachePurge.Core;

/// <summary>
/// Checks a site's purge settings once, before they are used. Every message starts with the
/// setting it is about (<c>Endpoints[1].BaseUrl</c>) so that a settings page or a recipe can
/// point at the field.
/// </summary>
public sealed class CachePurgeOptionsValidator : IValidateOptions<CachePurgeOptions>
{
    /// <summary>
    /// The most caches one site can purge. Every purge goes to every cache, and a settings page with many more
    /// exceeds what a browser form can post (ASP.NET Core reads at most 1,024 form values).
    /// </summary>
    public const int MaxEndpoints = 20;

    /// <summary>The longest timeout of one request to a cache.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The problems with <paramref name="options"/>; empty when they can be used.</summary>
    public static IReadOnlyList<CachePurgeOptionsError> Validate(CachePurgeOptions options)
    {
        List<CachePurgeOptionsError> errors = [];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Too many caches is one problem, reported alone rather than beside one message per cache.
        if (options.Endpoints.Count > MaxEndpoints)
        {
            errors.Add(new(nameof(options.Endpoints), $"at most {MaxEndpoints} caches can be configured; there are {options.Endpoints.Count}."));
        }

        for (var i = 0; i < options.Endpoints.Count && options.Endpoints.Count <= MaxEndpoints; i++)
        {
            var endpoint = options.Endpoints[i];
            var field = $"{nameof(options.Endpoints)}[{i}]";
            ValidateEndpoint(endpoint, field, errors);
            if (!string.IsNullOrWhiteSpace(endpoint.Name) && !names.Add(endpoint.Name))
            {
                errors.Add(new($"{field}.{nameof(endpoint.Name)}", $"the name '{endpoint.Name}' is used by another cache."));
            }
        }

        for (var i = 0; i < options.SiteHosts.Count; i++)
        {
            var host = options.SiteHosts[i];
            if (!SiteHost.TryParse(host, out _))
            {
                errors.Add(new($"{nameof(options.SiteHosts)}[{i}]", $"'{host}' is not a host name (expected e.g. www.example.com or localhost:5000)."));
            }
        }

        if (options.Endpoints.Count > 0 && options.SiteHosts.Count == 0)
        {
            errors.Add(new(nameof(options.SiteHosts), "at least one public host name of the site is needed; caches key pages by host."));
        }

        if (!string.IsNullOrEmpty(options.PathBase) && (!options.PathBase.StartsWith('/') || options.PathBase.EndsWith('/') || options.PathBase.Any(char.IsWhiteSpace)))
        {
            errors.Add(new(nameof(options.PathBase), $"'{options.PathBase}' must start with '/', not end with '/', and hold no spaces (e.g. /blog)."));
        }

        if (options.EscalationThreshold < 0)
        {
            errors.Add(new(nameof(options.EscalationThreshold), "must be 0 (off) or more."));
        }

        if (options.RetryAttempts is < 0 or > 10)
        {
            errors.Add(new(nameof(options.RetryAttempts), "must be between 0 and 10."));
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            errors.Add(new(nameof(options.RetryDelay), "must be positive."));
        }

        if (options.MaxPendingInMemory < 100)
        {
            errors.Add(new(nameof(options.MaxPendingInMemory), "must be at least 100."));
        }

        if (options.TagHeaderLimit < 256)
        {
            errors.Add(new(nameof(options.TagHeaderLimit), "must be at least 256 bytes."));
        }

        if (options.RedeliveryDelay <= TimeSpan.Zero || options.MaxRedeliveryDelay < options.RedeliveryDelay)
        {
            errors.Add(new(nameof(options.RedeliveryDelay), "must be positive and not above MaxRedeliveryDelay."));
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every problem.</summary>
    public static void ThrowIfInvalid(CachePurgeOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid cache purge settings: " + string.Join(" ", errors), nameof(options));
        }
    }

    ValidateOptionsResult IValidateOptions<CachePurgeOptions>.Validate(string? name, CachePurgeOptions options)
    {
        var errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
    }

    private static void ValidateEndpoint(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (string.IsNullOrWhiteSpace(endpoint.Name))
        {
            errors.Add(new($"{field}.{nameof(endpoint.Name)}", "a name is required."));
        }
        else if (endpoint.Name.Any(char.IsControl))
        {
            errors.Add(new($"{field}.{nameof(endpoint.Name)}", "must not contain control characters (such as NUL or a line break)."));
        }

        if (string.IsNullOrWhiteSpace(endpoint.BaseUrl) && endpoint.Kind == CacheKind.AzureFrontDoor)
        {
            // Empty: Azure Resource Manager of the public cloud.
        }
        else if (string.IsNullOrWhiteSpace(endpoint.BaseUrl))
        {
            errors.Add(new($"{field}.{nameof(endpoint.BaseUrl)}", "a URL is required (e.g. http://127.0.0.1:6081)."));
        }
        else if (endpoint.BaseUrl.Any(char.IsControl)
            || !Uri.TryCreate(endpoint.BaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(new($"{field}.{nameof(endpoint.BaseUrl)}", $"'{endpoint.BaseUrl}' is not an http:// or https:// URL."));
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo) || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add(new($"{field}.{nameof(endpoint.BaseUrl)}", $"'{endpoint.BaseUrl}' must have no user name, query or fragment; put credentials in a header."));
        }

        if (!Enum.IsDefined(endpoint.Kind))
        {
            errors.Add(new($"{field}.{nameof(endpoint.Kind)}", $"'{endpoint.Kind}' is not a cache kind; use {string.Join(", ", Enum.GetNames<CacheKind>())}."));
        }

        if (endpoint.Timeout <= TimeSpan.Zero || endpoint.Timeout > MaxTimeout)
        {
            errors.Add(new($"{field}.{nameof(endpoint.Timeout)}", $"must be more than 0 and at most {MaxTimeout.TotalSeconds:0} seconds ({MaxTimeout.TotalMinutes:0} minutes)."));
        }

        if (endpoint.MaxConcurrency is < 1 or > 256)
        {
            errors.Add(new($"{field}.{nameof(endpoint.MaxConcurrency)}", "must be between 1 and 256 requests."));
        }

        if (endpoint.RequestsPerSecond < 0)
        {
            errors.Add(new($"{field}.{nameof(endpoint.RequestsPerSecond)}", "must be 0 (no limit) or more."));
        }

        foreach (var (header, value) in endpoint.Headers)
        {
            var headerField = $"{field}.{nameof(endpoint.Headers)}[{header}]";
            if (ValidateHeaderName(header) is { } problem)
            {
                errors.Add(new(headerField, problem));
            }
            else if (HttpFields.IndexOfInvalidValueChar(value) is var at and >= 0)
            {
                // The character itself is not shown: the value may be a secret.
                errors.Add(new(headerField, $"the value of '{header}' has {Describe(value[at])} at position {at + 1}; a header value can hold only ASCII letters, digits, punctuation and spaces."));
            }
        }

        if (endpoint.Kind == CacheKind.Nginx && (!endpoint.PurgePathPrefix.StartsWith('/') || !IsPath(endpoint.PurgePathPrefix, allowQuery: false)))
        {
            errors.Add(new($"{field}.{nameof(endpoint.PurgePathPrefix)}", $"'{endpoint.PurgePathPrefix}' must start with '/' and hold no spaces, '?' or '#' (e.g. /purge)."));
        }

        if (endpoint.Kind == CacheKind.Generic)
        {
            if (string.IsNullOrEmpty(endpoint.Method) || endpoint.Method.Any(c => !char.IsAsciiLetter(c)))
            {
                errors.Add(new($"{field}.{nameof(endpoint.Method)}", $"'{endpoint.Method}' is not an HTTP method; use letters only (e.g. PURGE)."));
            }

            if (!endpoint.PathTemplate.Contains("{path}", StringComparison.Ordinal)
                || !endpoint.PathTemplate.StartsWith('/') && !endpoint.PathTemplate.StartsWith("{path}", StringComparison.Ordinal)
                || !IsPath(endpoint.PathTemplate, allowQuery: true))
            {
                errors.Add(new($"{field}.{nameof(endpoint.PathTemplate)}", $"'{endpoint.PathTemplate}' must start with '/' or '{{path}}', contain '{{path}}', and hold no spaces or '#' (e.g. /purge{{path}})."));
            }
        }

        if (endpoint.Kind == CacheKind.Cloudflare)
        {
            ValidateCloudflare(endpoint, field, errors);
        }
        else if (endpoint.Kind == CacheKind.Fastly)
        {
            ValidateFastly(endpoint, field, errors);
        }
        else if (endpoint.Kind == CacheKind.Akamai)
        {
            ValidateAkamai(endpoint, field, errors);
        }
        else if (endpoint.Kind == CacheKind.Bunny)
        {
            ValidateBunny(endpoint, field, errors);
        }
        else if (endpoint.Kind == CacheKind.CloudFront)
        {
            ValidateCloudFront(endpoint, field, errors);
        }
        else if (endpoint.Kind == CacheKind.AzureFrontDoor)
        {
            ValidateAzureFrontDoor(endpoint, field, errors);
        }

        // Only a backend that declares it can mark a page stale (Varnish's xkey softpurge and vmod_purge's purge.soft). A
        // soft-purged page is served once more from grace, so a confirming fetch would find it cached and purge again and again.
        var capabilities = Protocols.CacheProtocol.For(endpoint).Capabilities;
        if (endpoint.SoftPurge && !capabilities.Can(Protocols.PurgeCapabilities.SoftPurge))
        {
            errors.Add(new($"{field}.{nameof(endpoint.SoftPurge)}", $"only a Varnish or Fastly cache can purge softly; a {endpoint.Kind} cache removes pages."));
        }
        else if (endpoint.ConfirmEviction && capabilities.Addressing != Protocols.PageAddressing.PathWithHostHeader)
        {
            errors.Add(new($"{field}.{nameof(endpoint.ConfirmEviction)}", $"a {endpoint.Kind} cache is reached through its API, not asked for pages, so eviction cannot be confirmed."));
        }
        else if (endpoint.SoftPurge && endpoint.ConfirmEviction)
        {
            errors.Add(new($"{field}.{nameof(endpoint.SoftPurge)}", "cannot be on with ConfirmEviction: a soft-purged page is served stale once more, so its eviction is never confirmed."));
        }

        // Squid and nginx cannot purge by tag, so their tag header is never sent and not checked.
        if (endpoint.Kind is CacheKind.Varnish or CacheKind.Generic && !string.IsNullOrEmpty(endpoint.TagHeader) && ValidateHeaderName(endpoint.TagHeader) is { } tagProblem)
        {
            errors.Add(new($"{field}.{nameof(endpoint.TagHeader)}", tagProblem));
        }
    }

    private static void ValidateCloudflare(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (endpoint.ZoneId.Length != 32 || !endpoint.ZoneId.All(char.IsAsciiHexDigit))
        {
            errors.Add(new($"{field}.{nameof(endpoint.ZoneId)}", "the zone id is 32 hexadecimal characters (Cloudflare dashboard: the zone's Overview, API section)."));
        }

        ValidateApiToken(endpoint, field, "the zone's Cache Purge permission", errors);

        if (!Enum.IsDefined(endpoint.CloudflarePlan))
        {
            errors.Add(new($"{field}.{nameof(endpoint.CloudflarePlan)}", $"use {string.Join(", ", Enum.GetNames<CloudflarePlan>())}."));
        }

        // Cloudflare takes 100 items a call (tags, hosts, prefixes; URLs too, but 500 on Enterprise).
        var most = endpoint.CloudflarePlan == CloudflarePlan.Enterprise ? 500 : 100;
        if (endpoint.ItemsPerCall < 1 || endpoint.ItemsPerCall > most)
        {
            errors.Add(new($"{field}.{nameof(endpoint.ItemsPerCall)}", $"must be between 1 and {most} on the {endpoint.CloudflarePlan} plan."));
        }

        ValidateSchemes(endpoint, field, errors);
    }

    private static void ValidateFastly(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (string.IsNullOrWhiteSpace(endpoint.ServiceId) || !endpoint.ServiceId.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add(new($"{field}.{nameof(endpoint.ServiceId)}", "the service id is letters and digits (Fastly: the service's page, under its name)."));
        }

        ValidateApiToken(endpoint, field, "the purge_select scope", errors);
        if (endpoint.ItemsPerCall is < 1 or > Protocols.Fastly.FastlyProtocol.MaxKeysPerCall)
        {
            errors.Add(new($"{field}.{nameof(endpoint.ItemsPerCall)}", $"must be between 1 and {Protocols.Fastly.FastlyProtocol.MaxKeysPerCall} surrogate keys."));
        }
    }

    private static void ValidateAkamai(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        // The three secrets of the API client's .edgerc section; the client secret is kept in ApiToken.
        ValidateEdgeGridSecret(endpoint.ClientToken, $"{field}.{nameof(endpoint.ClientToken)}", "the client token (client_token)", errors);
        ValidateEdgeGridSecret(endpoint.AccessToken, $"{field}.{nameof(endpoint.AccessToken)}", "the access token (access_token)", errors);
        ValidateEdgeGridSecret(endpoint.ApiToken, $"{field}.{nameof(endpoint.ApiToken)}", "the client secret (client_secret)", errors);

        if (!Enum.IsDefined(endpoint.AkamaiNetwork))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AkamaiNetwork)}", $"use {string.Join(", ", Enum.GetNames<AkamaiNetwork>())}."));
        }

        if (!Enum.IsDefined(endpoint.AkamaiPurgeAction))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AkamaiPurgeAction)}", $"use {string.Join(", ", Enum.GetNames<AkamaiPurgeAction>())}."));
        }

        if (endpoint.CpCodes.Any(code => code <= 0) || endpoint.CpCodes.Distinct().Count() != endpoint.CpCodes.Count)
        {
            errors.Add(new($"{field}.{nameof(endpoint.CpCodes)}", "list the site's CP codes as positive numbers, once each (Akamai Control Center: the property's CP codes)."));
        }
        else if (endpoint.CpCodes.Count > 300)
        {
            errors.Add(new($"{field}.{nameof(endpoint.CpCodes)}", "at most 300 CP codes: Akamai purges no more at once."));
        }

        ValidateSchemes(endpoint, field, errors);
    }

    private static void ValidateBunny(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (endpoint.PullZoneId.Length is 0 or > 18 || !endpoint.PullZoneId.All(char.IsAsciiDigit) || endpoint.PullZoneId.All(c => c == '0'))
        {
            errors.Add(new($"{field}.{nameof(endpoint.PullZoneId)}", "the pull zone id is a number (bunny.net dashboard: the pull zone's page, and its address)."));
        }

        ValidateApiToken(endpoint, field, "access to the pull zone (the account's API key)", errors);
        ValidateSchemes(endpoint, field, errors);
        if (endpoint.BunnyLimits is not { ExactBurst: > 0, ExactPerSecond: > 0, PrefixBurst: > 0, PrefixPerSecond: > 0 })
        {
            errors.Add(new($"{field}.{nameof(endpoint.BunnyLimits)}", "bursts and rates must be more than 0 (bunny.net documents 120 and 5 a second for exact purges, 20 and 0.5 for prefixes)."));
        }
    }

    private static void ValidateSchemes(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (endpoint.Schemes.Count == 0 || endpoint.Schemes.Any(s => s is not ("https" or "http")) || endpoint.Schemes.Distinct().Count() != endpoint.Schemes.Count)
        {
            errors.Add(new($"{field}.{nameof(endpoint.Schemes)}", "list https, http or both, once each: a page is purged as a URL of each."));
        }
    }

    private static void ValidateEdgeGridSecret(string value, string field, string what, List<CachePurgeOptionsError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, $"{what} of an Akamai API client with the CCU APIs (Fast Purge) grant is required."));
        }
        else if (HttpFields.IndexOfInvalidValueChar(value) >= 0 || value.Any(char.IsWhiteSpace) || value.Contains(';', StringComparison.Ordinal))
        {
            errors.Add(new(field, $"{what} holds no spaces, semicolons, line breaks or non-ASCII characters; paste it again from the .edgerc file."));
        }
    }

    private static void ValidateCloudFront(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (string.IsNullOrWhiteSpace(endpoint.DistributionId) || !endpoint.DistributionId.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
        {
            errors.Add(new($"{field}.{nameof(endpoint.DistributionId)}", "the distribution id is capital letters and digits, e.g. EDFDVBD6EXAMPLE (CloudFront console: the distribution's ID)."));
        }

        // AWS documents access key ids as 16 to 128 word characters (AKIA… for a user, ASIA… for temporary credentials).
        if (endpoint.AccessKeyId.Length is < 16 or > 128 || !endpoint.AccessKeyId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AccessKeyId)}", "an access key id is 16 to 128 letters and digits, e.g. AKIAIOSFODNN7EXAMPLE."));
        }

        if (string.IsNullOrWhiteSpace(endpoint.ApiToken))
        {
            errors.Add(new($"{field}.{nameof(endpoint.ApiToken)}", "the secret access key of the access key id is required."));
        }
        else if (HttpFields.IndexOfInvalidValueChar(endpoint.ApiToken) >= 0 || endpoint.ApiToken.Any(char.IsWhiteSpace))
        {
            errors.Add(new($"{field}.{nameof(endpoint.ApiToken)}", "a secret access key holds no spaces, line breaks or non-ASCII characters; paste it again."));
        }

        if (HttpFields.IndexOfInvalidValueChar(endpoint.SessionToken) >= 0 || endpoint.SessionToken.Any(char.IsWhiteSpace))
        {
            errors.Add(new($"{field}.{nameof(endpoint.SessionToken)}", "a session token holds no spaces, line breaks or non-ASCII characters; paste it again."));
        }

        if (endpoint.ItemsPerCall is < 1 or > Protocols.CloudFront.CloudFrontProtocol.MaxPathsPerCall)
        {
            errors.Add(new($"{field}.{nameof(endpoint.ItemsPerCall)}", "must be between 1 and 3,000 paths, the most a distribution has in progress."));
        }

        if (endpoint.MonthlyPathBudget < 0)
        {
            errors.Add(new($"{field}.{nameof(endpoint.MonthlyPathBudget)}", "must be 0 or more paths a month (AWS charges each path beyond the account's first 1,000 a month)."));
        }
    }

    private static void ValidateAzureFrontDoor(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (!Guid.TryParse(endpoint.AzureSubscriptionId, out _))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureSubscriptionId)}", "the subscription id is a GUID (Azure portal: the Front Door profile's Overview, Subscription ID)."));
        }

        if (string.IsNullOrWhiteSpace(endpoint.AzureResourceGroup) || endpoint.AzureResourceGroup.Length > 90 || endpoint.AzureResourceGroup.EndsWith('.')
            || !endpoint.AzureResourceGroup.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')'))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureResourceGroup)}", "the resource group is up to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'."));
        }

        if (!IsAzureName(endpoint.AzureProfile))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureProfile)}", "the profile name is letters, digits and '-' (Azure portal: the Front Door profile's name)."));
        }

        if (!IsAzureName(endpoint.AzureEndpoint))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureEndpoint)}", "the endpoint name is letters, digits and '-' (the profile's Front Door manager; not the endpoint's host name)."));
        }

        if (!Enum.IsDefined(endpoint.AzureCredential))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureCredential)}", $"use {string.Join(", ", Enum.GetNames<AzureCredentialKind>())}."));
        }

        if (endpoint.AzureCredential == AzureCredentialKind.ClientSecret)
        {
            if (!Guid.TryParse(endpoint.AzureTenantId, out _) && !IsDomainName(endpoint.AzureTenantId))
            {
                errors.Add(new($"{field}.{nameof(endpoint.AzureTenantId)}", "the tenant id is the directory's GUID (Entra ID: Overview, Tenant ID)."));
            }

            if (!Guid.TryParse(endpoint.AzureClientId, out _))
            {
                errors.Add(new($"{field}.{nameof(endpoint.AzureClientId)}", "the client id is the app registration's Application (client) ID, a GUID."));
            }

            if (string.IsNullOrWhiteSpace(endpoint.ApiToken))
            {
                errors.Add(new($"{field}.{nameof(endpoint.ApiToken)}", "the app registration's client secret is required (its Value, not its Secret ID)."));
            }
            else if (endpoint.ApiToken.Any(char.IsControl))
            {
                errors.Add(new($"{field}.{nameof(endpoint.ApiToken)}", "a client secret holds no line breaks or control characters; paste it again."));
            }
        }
        else if (!string.IsNullOrWhiteSpace(endpoint.AzureClientId) && !Guid.TryParse(endpoint.AzureClientId, out _))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureClientId)}", "the client id is a GUID, or empty for the system-assigned managed identity."));
        }

        if (!string.IsNullOrWhiteSpace(endpoint.AzureAuthorityHost)
            && (!Uri.TryCreate(endpoint.AzureAuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(new($"{field}.{nameof(endpoint.AzureAuthorityHost)}", $"'{endpoint.AzureAuthorityHost}' is not an https:// URL (e.g. https://login.microsoftonline.us); empty for the Azure public cloud."));
        }

        if (endpoint.ItemsPerCall is < 1 or > Protocols.AzureFrontDoor.AzureFrontDoorProtocol.MaxPathsPerCall)
        {
            errors.Add(new($"{field}.{nameof(endpoint.ItemsPerCall)}", $"must be between 1 and {Protocols.AzureFrontDoor.AzureFrontDoorProtocol.MaxPathsPerCall} content paths."));
        }
    }

    private static bool IsAzureName(string name) => name.Length is > 0 and <= 260 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool IsDomainName(string name) => name.Length > 0 && name.Contains('.') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    private static void ValidateApiToken(CacheEndpoint endpoint, string field, string permission, List<CachePurgeOptionsError> errors)
    {
        if (string.IsNullOrWhiteSpace(endpoint.ApiToken))
        {
            errors.Add(new($"{field}.{nameof(endpoint.ApiToken)}", $"an API token with {permission} is required."));
        }
        else if (HttpFields.IndexOfInvalidValueChar(endpoint.ApiToken) >= 0 || endpoint.ApiToken.Any(char.IsWhiteSpace))
        {
            errors.Add(new($"{field}.{nameof(endpoint.ApiToken)}", "an API token holds no spaces, line breaks or non-ASCII characters; paste it again."));
        }
    }

    private static string? ValidateHeaderName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "a header needs a name.";
        }

        if (!HttpFields.IsName(name))
        {
            return $"'{name}' is not a header name; use letters, digits and '-' (e.g. X-Purge-Token).";
        }

        return HttpFields.IsReserved(name) ? $"'{name}' is written by every purge request itself and cannot be set here." : null;
    }

    private static string Describe(char c) => c switch
    {
        '\r' or '\n' => "a line break",
        '\0' => "a NUL character",
        _ when char.IsControl(c) => "a control character",
        _ => "a non-ASCII character (such as an accented letter)",
    };

    // Spaces and controls would break the request line; '#' would cut the path; '?' starts the query.
    private static bool IsPath(string value, bool allowQuery) =>
        value.Length > 0
        && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '#' || (!allowQuery && c == '?'));
}

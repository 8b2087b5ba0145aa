using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// Turns the tenant's <see cref="CachePurgeSettings"/> into engine options and checks them. The settings
/// page, the recipe step and the dispatcher all go through here, so that they accept and refuse the same input.
/// </summary>
public sealed class CachePurgeSettingsService
{
    private const string ProtectorPurpose = "CachePurge.HeaderSecrets";

    private static readonly CachePurgeCacheSettings DefaultCache = new();

    private static readonly Regex EngineHeaderField = new(@"^Endpoints\[(\d+)\]\.Headers(?:\[(.*)\])?$", RegexOptions.Compiled | RegexOptions.Singleline);

    private readonly ISiteService _siteService;
    private readonly ShellSettings _shellSettings;
    private readonly ShellOptions _shellOptions;
    private readonly IDataProtector _protector;
    private readonly ILogger _logger;

    internal readonly IStringLocalizer S;

    public CachePurgeSettingsService(
        ISiteService siteService,
        ShellSettings shellSettings,
        IOptions<ShellOptions> shellOptions,
        IDataProtectionProvider dataProtectionProvider,
        ILogger<CachePurgeSettingsService> logger,
        IStringLocalizer<CachePurgeSettingsService> stringLocalizer)
    {
        _siteService = siteService;
        _shellSettings = shellSettings;
        _shellOptions = shellOptions.Value;
        _protector = dataProtectionProvider.CreateProtector(ProtectorPurpose);
        _logger = logger;
        S = stringLocalizer;
    }

    /// <summary>The tenant's path prefix as a path base: <c>/blog</c>, or empty.</summary>
    /// <summary>The tag every page of the tenant carries, or null while pages carry no tags.</summary>
    public async Task<string> GetSiteTagAsync()
    {
        var (settings, _) = await GetSettingsAsync();
        return string.IsNullOrWhiteSpace(settings.ResponseTagHeader) ? null : ContentTags.ForSite(_shellSettings.Name);
    }

    public string PathBase => string.IsNullOrEmpty(_shellSettings.RequestUrlPrefix) ? "" : "/" + _shellSettings.RequestUrlPrefix;

    /// <summary>The journal lives with the tenant's other data, so that tenants never share pending purges.</summary>
    public string JournalPath => Path.Combine(
        _shellOptions.ShellsApplicationDataPath,
        _shellOptions.ShellsContainerName,
        _shellSettings.Name,
        "CachePurge",
        "journal.db");

    public async Task<(CachePurgeSettings Settings, ISite Site)> GetSettingsAsync()
    {
        var site = await _siteService.GetSiteSettingsAsync();
        return (site.GetOrCreate<CachePurgeSettings>(), site);
    }

    /// <summary>
    /// The engine options for the stored settings, or null when purging is off, no cache is configured, or the
    /// settings cannot be used: they were checked when saved, but a base URL removed later, or settings saved before
    /// a check existed (a header value a purge cannot carry, more than 20 caches), can still make them unusable.
    /// </summary>
    public async Task<CachePurgeOptions> GetOptionsAsync()
    {
        var (settings, site) = await GetSettingsAsync();
        if (!settings.Enabled || settings.Caches.Count == 0)
        {
            return null;
        }

        var options = ToOptions(settings, site, unprotectSecrets: true);
        var errors = CachePurgeOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            // Messages name fields and header names, never a header's value, so a secret is not logged.
            CachePurgeModuleLog.SettingsUnusable(_logger, _shellSettings.Name, string.Join(" ", errors.Select(e => $"{ToSettingsField(e.Field, settings)}: {e.Message}")));
            return null;
        }

        return options;
    }

    /// <summary>The site-URL rules for this tenant, also when no cache is configured yet.</summary>
    public PurgeUrlNormalizer CreateNormalizer(CachePurgeSettings settings, ISite site)
    {
        var hosts = GetSiteHosts(settings, site).Where(h => SiteHost.TryParse(h, out _));
        return new PurgeUrlNormalizer(hosts, PathBase);
    }

    /// <summary>
    /// Every problem with <paramref name="settings"/> (secret header values in plain text or empty), each naming
    /// the field of <see cref="CachePurgeSettings"/> it is about, e.g. <c>Caches[0].BaseUrl</c>, or
    /// <c>Caches[0].Headers[1]</c> for one header.
    /// </summary>
    public IReadOnlyList<CachePurgeOptionsError> Validate(CachePurgeSettings settings, ISite site)
    {
        List<CachePurgeOptionsError> errors = [];
        for (var i = 0; i < settings.Caches.Count && i < CachePurgeOptionsValidator.MaxEndpoints; i++)
        {
            // The engine sees the headers by name, so a header without a name or given twice is caught here.
            var headers = settings.Caches[i].Headers;
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var k = 0; k < headers.Count; k++)
            {
                if (string.IsNullOrWhiteSpace(headers[k].Name))
                {
                    errors.Add(new($"Caches[{i}].Headers[{k}]", S["a header needs a name."]));
                }
                else if (!names.Add(headers[k].Name.Trim()))
                {
                    errors.Add(new($"Caches[{i}].Headers[{k}]", S["the header '{0}' is given twice.", headers[k].Name.Trim()]));
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(settings.ResponseTagHeader) && !HttpFields.IsName(settings.ResponseTagHeader.Trim()))
        {
            errors.Add(new(nameof(CachePurgeSettings.ResponseTagHeader), S["'{0}' is not a header name; use letters, digits and '-' (e.g. xkey or Surrogate-Key).", settings.ResponseTagHeader]));
        }

        if (settings.ResponseTagSeparator is not (" " or "," or ", "))
        {
            errors.Add(new(nameof(CachePurgeSettings.ResponseTagSeparator), S["must be a space or a comma."]));
        }

        if (settings.ResponseTagHeaderLimit is < 256 or > 65536)
        {
            errors.Add(new(nameof(CachePurgeSettings.ResponseTagHeaderLimit), S["must be between 256 and 65,536 bytes."]));
        }

        var options = ToOptions(settings, site, unprotectSecrets: false);
        foreach (var error in CachePurgeOptionsValidator.Validate(options))
        {
            var message = error.Field == nameof(CachePurgeOptions.SiteHosts) && settings.SiteHosts.Count == 0
                ? S["{0} Enter the site's host names, or set the site's base URL in the general settings.", error.Message]
                : S["{0}", error.Message];
            errors.Add(new(ToSettingsField(error.Field, settings), message));
        }

        return errors;
    }

    /// <summary>
    /// Puts each stored secret (<see cref="CacheSecret.All"/>: the API token, Akamai's tokens), in plain text, in each cache of <paramref name="incoming"/> whose token is left empty
    /// (the settings page never shows it, an export leaves it out), from the cache of <paramref name="existing"/> with the
    /// same name and kind. Called before <see cref="Validate"/>, so that settings are checked with the token purges will
    /// use: an empty field then keeps a token rather than failing as missing. A token that cannot be read (keys of
    /// another machine) stays empty, and the check asks for it again.
    /// </summary>
    public void KeepStoredSecrets(CachePurgeSettings incoming, CachePurgeSettings existing)
    {
        foreach (var cache in incoming.Caches)
        {
            var stored = existing?.Caches.FirstOrDefault(c => c.Kind == cache.Kind && string.Equals(c.Name, cache.Name, StringComparison.OrdinalIgnoreCase));
            foreach (var secret in CacheSecret.All.Where(s => string.IsNullOrEmpty(s.Get(cache))))
            {
                secret.Set(cache, UnprotectSecret(stored is null ? null : secret.Get(stored)));
            }
        }
    }

    /// <summary>
    /// Protects the API tokens and secret header values of <paramref name="incoming"/> for storage. A secret header
    /// left empty keeps the stored value of the header with the same name on the cache with the same name, because the
    /// form never shows it; an empty token keeps the stored token of the cache with the same name and kind (see
    /// <see cref="KeepStoredSecrets"/>, which does it in plain text before the settings are checked).
    /// </summary>
    public void ProtectSecrets(CachePurgeSettings incoming, CachePurgeSettings existing)
    {
        foreach (var cache in incoming.Caches)
        {
            var sameKind = existing?.Caches.FirstOrDefault(c => c.Kind == cache.Kind && string.Equals(c.Name, cache.Name, StringComparison.OrdinalIgnoreCase));
            foreach (var secret in CacheSecret.All)
            {
                var value = secret.Get(cache);
                secret.Set(cache, string.IsNullOrEmpty(value) ? (sameKind is null ? "" : secret.Get(sameKind) ?? "") : _protector.Protect(value));
            }

            var stored = existing?.Caches.FirstOrDefault(c => string.Equals(c.Name, cache.Name, StringComparison.OrdinalIgnoreCase));
            foreach (var header in cache.Headers.Where(h => h.Secret))
            {
                if (string.IsNullOrEmpty(header.Value))
                {
                    header.Value = stored?.Headers.FirstOrDefault(h => h.Secret && string.Equals(h.Name, header.Name, StringComparison.OrdinalIgnoreCase))?.Value ?? "";
                }
                else
                {
                    header.Value = _protector.Protect(header.Value);
                }
            }
        }
    }

    /// <summary>A secret in plain text, for an export that asked for secrets; empty when it cannot be read.</summary>
    public string UnprotectSecret(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            // Keys of another machine or a lost key ring: the site owner has to enter the secret again.
            return "";
        }
    }

    internal CachePurgeOptions ToOptions(CachePurgeSettings settings, ISite site, bool unprotectSecrets) => new()
    {
        Endpoints = [.. settings.Caches.Select(cache => new CacheEndpoint
        {
            Name = cache.Name?.Trim() ?? "",
            BaseUrl = OrDefault(cache.BaseUrl, DefaultBaseUrl(cache.Kind)),
            Kind = cache.Kind,
            Headers = cache.Headers
                .Where(h => !string.IsNullOrWhiteSpace(h.Name))
                .GroupBy(h => h.Name.Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Secret && unprotectSecrets ? UnprotectSecret(g.First().Value) : g.First().Value ?? "", StringComparer.OrdinalIgnoreCase),
            Timeout = TimeSpan.FromSeconds(cache.TimeoutSeconds),
            MaxConcurrency = cache.MaxConcurrency,
            RequestsPerSecond = cache.RequestsPerSecond,
            // Left empty, they take their defaults: the settings page cannot tell an emptied field from one it did not show.
            PurgePathPrefix = OrDefault(cache.PurgePathPrefix, DefaultCache.PurgePathPrefix),
            Method = OrDefault(cache.Method, DefaultCache.Method),
            PathTemplate = OrDefault(cache.PathTemplate, DefaultCache.PathTemplate),
            TagHeader = cache.TagHeader?.Trim() ?? "",
            ConfirmEviction = cache.ConfirmEviction,
            SoftPurge = cache.SoftPurge,
            Http2 = cache.Http2,
            ZoneId = cache.ZoneId?.Trim() ?? "",
            ServiceId = cache.ServiceId?.Trim() ?? "",
            ApiToken = unprotectSecrets ? UnprotectSecret(cache.ApiToken) : cache.ApiToken ?? "",
            CloudflarePlan = cache.CloudflarePlan,
            ItemsPerCall = cache.ItemsPerCall,
            Schemes = cache.Schemes is { Count: > 0 } schemes ? [.. schemes] : ["https"],
            NeverPurgeEverything = cache.NeverPurgeEverything,
            ClientToken = unprotectSecrets ? UnprotectSecret(cache.ClientToken) : cache.ClientToken ?? "",
            AccessToken = unprotectSecrets ? UnprotectSecret(cache.AccessToken) : cache.AccessToken ?? "",
            AkamaiNetwork = cache.AkamaiNetwork,
            AkamaiPurgeAction = cache.AkamaiPurgeAction,
            CpCodes = [.. cache.CpCodes ?? []],
            PullZoneId = cache.PullZoneId?.Trim() ?? "",
            DistributionId = cache.DistributionId?.Trim() ?? "",
            AccessKeyId = cache.AccessKeyId?.Trim() ?? "",
            MonthlyPathBudget = cache.MonthlyPathBudget,
            AzureSubscriptionId = cache.AzureSubscriptionId?.Trim() ?? "",
            AzureResourceGroup = cache.AzureResourceGroup?.Trim() ?? "",
            AzureProfile = cache.AzureProfile?.Trim() ?? "",
            AzureEndpoint = cache.AzureEndpoint?.Trim() ?? "",
            AzureCredential = cache.AzureCredential,
            AzureTenantId = cache.AzureTenantId?.Trim() ?? "",
            AzureClientId = cache.AzureClientId?.Trim() ?? "",
            AzureAuthorityHost = cache.AzureAuthorityHost?.Trim() ?? "",
        })],
        SiteHosts = GetSiteHosts(settings, site),
        PathBase = PathBase,
        EscalationThreshold = settings.EscalationThreshold,
        JournalPath = JournalPath,
    };

    /// <summary>The configured hosts; else the host of the site's base URL; else the tenant's host names.</summary>
    internal List<string> GetSiteHosts(CachePurgeSettings settings, ISite site)
    {
        var configured = settings.SiteHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).ToList();
        if (configured.Count > 0)
        {
            return configured;
        }

        if (Uri.TryCreate(site?.BaseUrl, UriKind.Absolute, out var baseUrl) && baseUrl.Host.Length > 0)
        {
            return [baseUrl.IsDefaultPort ? baseUrl.Host : baseUrl.Authority];
        }

        return [.. _shellSettings.RequestUrlHosts.Where(h => !string.IsNullOrWhiteSpace(h) && !h.Contains('*'))];
    }

    /// <summary>A CDN's API has one address, so a cache of that kind may leave its URL empty; other caches must give theirs.</summary>
    internal static string DefaultBaseUrl(CacheKind kind) => kind switch
    {
        CacheKind.Cloudflare => "https://api.cloudflare.com",
        CacheKind.Fastly => "https://api.fastly.com",
        CacheKind.Bunny => "https://api.bunny.net",
        CacheKind.CloudFront => "https://cloudfront.amazonaws.com",
        CacheKind.AzureFrontDoor => "https://management.azure.com",
        _ => "",
    };

    private static string OrDefault(string value, string defaultValue) => string.IsNullOrWhiteSpace(value) ? defaultValue : value.Trim();

    /// <summary>
    /// Maps an engine field (<c>Endpoints[1].Timeout</c>) to the settings field an editor sees (<c>Caches[1].TimeoutSeconds</c>);
    /// a header, which the engine names (<c>Endpoints[0].Headers[X-Token]</c>), by its place in <paramref name="settings"/> (<c>Caches[0].Headers[2]</c>).
    /// </summary>
    internal static string ToSettingsField(string engineField, CachePurgeSettings settings)
    {
        if (EngineHeaderField.Match(engineField) is { Success: true } header)
        {
            var i = int.Parse(header.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            var name = header.Groups[2].Value;
            var index = header.Groups[2].Success && i < settings.Caches.Count
                ? settings.Caches[i].Headers.FindIndex(h => string.Equals(h.Name?.Trim(), name, StringComparison.OrdinalIgnoreCase))
                : -1;
            return index >= 0 ? $"Caches[{i}].Headers[{index}]" : $"Caches[{i}].Headers";
        }

        var field = engineField;
        if (field.StartsWith(nameof(CachePurgeOptions.Endpoints), StringComparison.Ordinal))
        {
            field = nameof(CachePurgeSettings.Caches) + field[nameof(CachePurgeOptions.Endpoints).Length..];
            if (field.EndsWith("." + nameof(CacheEndpoint.Timeout), StringComparison.Ordinal))
            {
                field += "Seconds";
            }
        }
        else if (field.StartsWith(nameof(CachePurgeOptions.SiteHosts), StringComparison.Ordinal))
        {
            field = nameof(CachePurgeSettings.SiteHosts);
        }

        return field;
    }
}

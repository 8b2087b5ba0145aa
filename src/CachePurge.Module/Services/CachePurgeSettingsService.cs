using System.Security.Cryptography;
using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;
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

    private readonly ISiteService _siteService;
    private readonly ShellSettings _shellSettings;
    private readonly ShellOptions _shellOptions;
    private readonly IDataProtector _protector;

    internal readonly IStringLocalizer S;

    public CachePurgeSettingsService(
        ISiteService siteService,
        ShellSettings shellSettings,
        IOptions<ShellOptions> shellOptions,
        IDataProtectionProvider dataProtectionProvider,
        IStringLocalizer<CachePurgeSettingsService> stringLocalizer)
    {
        _siteService = siteService;
        _shellSettings = shellSettings;
        _shellOptions = shellOptions.Value;
        _protector = dataProtectionProvider.CreateProtector(ProtectorPurpose);
        S = stringLocalizer;
    }

    /// <summary>The tenant's path prefix as a path base: <c>/blog</c>, or empty.</summary>
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
    /// settings cannot be used (they were checked when saved; a base URL removed later can still make them unusable).
    /// </summary>
    public async Task<CachePurgeOptions> GetOptionsAsync()
    {
        var (settings, site) = await GetSettingsAsync();
        if (!settings.Enabled || settings.Caches.Count == 0)
        {
            return null;
        }

        var options = ToOptions(settings, site, unprotectSecrets: true);
        return CachePurgeOptionsValidator.Validate(options).Count == 0 ? options : null;
    }

    /// <summary>The site-URL rules for this tenant, also when no cache is configured yet.</summary>
    public PurgeUrlNormalizer CreateNormalizer(CachePurgeSettings settings, ISite site)
    {
        var hosts = GetSiteHosts(settings, site).Where(h => SiteHost.TryParse(h, out _));
        return new PurgeUrlNormalizer(hosts, PathBase);
    }

    /// <summary>
    /// Every problem with <paramref name="settings"/> (secret header values in plain text or empty), each naming
    /// the field of <see cref="CachePurgeSettings"/> it is about, e.g. <c>Caches[0].BaseUrl</c>.
    /// </summary>
    public IReadOnlyList<CachePurgeOptionsError> Validate(CachePurgeSettings settings, ISite site)
    {
        List<CachePurgeOptionsError> errors = [];
        for (var i = 0; i < settings.Caches.Count; i++)
        {
            var cache = settings.Caches[i];
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in cache.Headers)
            {
                if (!string.IsNullOrWhiteSpace(header.Name) && !names.Add(header.Name.Trim()))
                {
                    errors.Add(new($"Caches[{i}].Headers", S["the header '{0}' is given twice.", header.Name]));
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(settings.ResponseTagHeader) && !IsHeaderName(settings.ResponseTagHeader.Trim()))
        {
            errors.Add(new(nameof(CachePurgeSettings.ResponseTagHeader), S["'{0}' is not a header name.", settings.ResponseTagHeader]));
        }

        if (settings.ResponseTagSeparator is not (" " or "," or ", "))
        {
            errors.Add(new(nameof(CachePurgeSettings.ResponseTagSeparator), S["use a space or a comma."]));
        }

        if (settings.ResponseTagHeaderLimit is < 256 or > 65536)
        {
            errors.Add(new(nameof(CachePurgeSettings.ResponseTagHeaderLimit), S["use a size between 256 and 65,536 bytes."]));
        }

        var options = ToOptions(settings, site, unprotectSecrets: false);
        foreach (var error in CachePurgeOptionsValidator.Validate(options))
        {
            var message = error.Field == nameof(CachePurgeOptions.SiteHosts) && settings.SiteHosts.Count == 0
                ? S["{0} Enter the site's host names, or set the site's base URL in the general settings.", error.Message]
                : S["{0}", error.Message];
            errors.Add(new(ToSettingsField(error.Field), message));
        }

        return errors;
    }

    /// <summary>
    /// Protects the secret header values of <paramref name="incoming"/> for storage. A secret left empty keeps the
    /// stored value of the header with the same name on the cache with the same name, because the form never shows it.
    /// </summary>
    public void ProtectSecrets(CachePurgeSettings incoming, CachePurgeSettings existing)
    {
        foreach (var cache in incoming.Caches)
        {
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
            BaseUrl = cache.BaseUrl?.Trim() ?? "",
            Kind = cache.Kind,
            Headers = cache.Headers
                .Where(h => !string.IsNullOrWhiteSpace(h.Name))
                .GroupBy(h => h.Name.Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Secret && unprotectSecrets ? UnprotectSecret(g.First().Value) : g.First().Value ?? "", StringComparer.OrdinalIgnoreCase),
            Timeout = TimeSpan.FromSeconds(cache.TimeoutSeconds),
            MaxConcurrency = cache.MaxConcurrency,
            RequestsPerSecond = cache.RequestsPerSecond,
            PurgePathPrefix = cache.PurgePathPrefix ?? "",
            Method = cache.Method ?? "",
            PathTemplate = cache.PathTemplate ?? "",
            TagHeader = cache.TagHeader?.Trim() ?? "",
            ConfirmEviction = cache.ConfirmEviction,
            Pipelining = cache.Pipelining,
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

    // RFC 9110 token characters.
    private static bool IsHeaderName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    /// <summary>Maps an engine field (<c>Endpoints[1].Timeout</c>) to the settings field an editor sees (<c>Caches[1].TimeoutSeconds</c>).</summary>
    internal static string ToSettingsField(string engineField)
    {
        var field = engineField;
        if (field.StartsWith(nameof(CachePurgeOptions.Endpoints), StringComparison.Ordinal))
        {
            field = nameof(CachePurgeSettings.Caches) + field[nameof(CachePurgeOptions.Endpoints).Length..];
            var headers = field.IndexOf("." + nameof(CacheEndpoint.Headers), StringComparison.Ordinal);
            if (headers >= 0)
            {
                field = field[..headers] + "." + nameof(CachePurgeCacheSettings.Headers);
            }
            else if (field.EndsWith("." + nameof(CacheEndpoint.Timeout), StringComparison.Ordinal))
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

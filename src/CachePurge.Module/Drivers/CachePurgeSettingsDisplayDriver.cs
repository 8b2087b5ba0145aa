using System.Globalization;
using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using OrchardCore.DisplayManagement.Entities;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;
using OrchardCore.Mvc.ModelBinding;
using OrchardCore.Settings;

namespace CachePurge.Module.Drivers;

public sealed class CachePurgeSettingsDisplayDriver : SiteDisplayDriver<CachePurgeSettings>
{
    public const string GroupId = "CachePurge";

    private readonly IHttpContextAccessor _httpContextAccessor;
    private readonly IAuthorizationService _authorizationService;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly IShellReleaseManager _shellReleaseManager;
    private readonly IEnumerable<ICachePurgeEventHandler> _handlers;
    private readonly ILogger _logger;

    internal readonly IStringLocalizer S;

    public CachePurgeSettingsDisplayDriver(
        IHttpContextAccessor httpContextAccessor,
        IAuthorizationService authorizationService,
        CachePurgeSettingsService settingsService,
        IShellReleaseManager shellReleaseManager,
        IEnumerable<ICachePurgeEventHandler> handlers,
        ILogger<CachePurgeSettingsDisplayDriver> logger,
        IStringLocalizer<CachePurgeSettingsDisplayDriver> stringLocalizer)
    {
        _httpContextAccessor = httpContextAccessor;
        _authorizationService = authorizationService;
        _settingsService = settingsService;
        _shellReleaseManager = shellReleaseManager;
        _handlers = handlers;
        _logger = logger;
        S = stringLocalizer;
    }

    protected override string SettingsGroupId => GroupId;

    public override async Task<IDisplayResult> EditAsync(ISite site, CachePurgeSettings settings, BuildEditorContext context)
    {
        if (!await _authorizationService.AuthorizeAsync(_httpContextAccessor.HttpContext?.User, Permissions.ManageCachePurge))
        {
            return null;
        }

        return Initialize<CachePurgeSettingsViewModel>("CachePurgeSettings_Edit", model =>
        {
            model.Enabled = settings.Enabled;
            model.SiteHosts = string.Join(Environment.NewLine, settings.SiteHosts);
            model.DefaultSiteHosts = string.Join(", ", _settingsService.GetSiteHosts(new CachePurgeSettings(), site));
            model.EscalationThreshold = settings.EscalationThreshold;
            model.ResponseTagHeader = settings.ResponseTagHeader;
            model.ResponseTagSeparator = settings.ResponseTagSeparator;
            model.ResponseTagHeaderLimit = settings.ResponseTagHeaderLimit;
            model.SiteChanges = settings.SiteChanges ?? new();

            // One empty row more than stored, while there is room: that is how a cache is added without client-side script.
            model.Caches = [.. settings.Caches.Select(ToViewModel)];
            if (model.Caches.Count < CachePurgeOptionsValidator.MaxEndpoints)
            {
                model.Caches.Add(ToViewModel(new CachePurgeCacheSettings()));
            }
        }).Location("Content:5")
        .OnGroup(GroupId);
    }

    public override async Task<IDisplayResult> UpdateAsync(ISite site, CachePurgeSettings settings, UpdateEditorContext context)
    {
        if (!await _authorizationService.AuthorizeAsync(_httpContextAccessor.HttpContext?.User, Permissions.ManageCachePurge))
        {
            return null;
        }

        var model = new CachePurgeSettingsViewModel();
        await context.Updater.TryUpdateModelAsync(model, Prefix);

        var (candidate, rows, errors) = FromViewModel(model, S);

        // A token left empty keeps the stored one: it is put in first, so that the form is checked with the token purges will use.
        _settingsService.KeepStoredSecrets(candidate, settings);
        errors.AddRange(_settingsService.Validate(candidate, site).Select(e => (e.Field, e.Message)));

        foreach (var (field, message) in errors)
        {
            var formField = ToFormField(field, rows, candidate);
            context.Updater.ModelState.AddModelError(Prefix, formField, S["{0}: {1}", formField, message]);
        }

        if (errors.Count == 0)
        {
            _settingsService.ProtectSecrets(candidate, settings);

            // The engine reads the settings once, when the tenant is built: a new tenant picks these up.
            _shellReleaseManager.RequestRelease();
            await _handlers.InvokeAsync((handler, group) => handler.SettingsUpdatedAsync(group), GroupId, _logger);
        }
        else
        {
            // Nothing is saved: the page says whether a token is stored, and the token typed stays out of the settings.
            foreach (var cache in candidate.Caches)
            {
                var stored = settings.Caches.FirstOrDefault(c => c.Kind == cache.Kind && string.Equals(c.Name, cache.Name, StringComparison.OrdinalIgnoreCase));
                foreach (var secret in CacheSecret.All)
                {
                    secret.Set(cache, stored is null ? "" : secret.Get(stored) ?? "");
                }
            }
        }

        // Copied even when invalid, so that the editor shows what was typed; Orchard saves only a valid form.
        settings.Enabled = candidate.Enabled;
        settings.SiteHosts = candidate.SiteHosts;
        settings.EscalationThreshold = candidate.EscalationThreshold;
        settings.ResponseTagHeader = candidate.ResponseTagHeader;
        settings.ResponseTagSeparator = candidate.ResponseTagSeparator;
        settings.ResponseTagHeaderLimit = candidate.ResponseTagHeaderLimit;
        settings.SiteChanges = candidate.SiteChanges;
        settings.Caches = candidate.Caches;

        return await EditAsync(site, settings, context);
    }

    /// <summary>The settings the form describes; rows left without name and URL are dropped.</summary>
    internal static (CachePurgeSettings Settings, List<int> Rows, List<(string Field, string Message)> Errors) FromViewModel(CachePurgeSettingsViewModel model, IStringLocalizer S)
    {
        var settings = new CachePurgeSettings
        {
            Enabled = model.Enabled,
            SiteHosts = [.. SplitLines(model.SiteHosts).Select(l => l.Text)],
            EscalationThreshold = model.EscalationThreshold,
            ResponseTagHeader = model.ResponseTagHeader?.Trim() ?? "",

            // Not trimmed: the separator may be a space. A form that leaves it out keeps the default.
            ResponseTagSeparator = string.IsNullOrEmpty(model.ResponseTagSeparator) ? " " : model.ResponseTagSeparator,
            ResponseTagHeaderLimit = model.ResponseTagHeaderLimit == 0 ? new CachePurgeSettings().ResponseTagHeaderLimit : model.ResponseTagHeaderLimit,
            SiteChanges = model.SiteChanges ?? new(),
        };

        List<int> rows = [];
        List<(string, string)> errors = [];
        for (var row = 0; row < model.Caches.Count; row++)
        {
            var cache = model.Caches[row];
            if (string.IsNullOrWhiteSpace(cache.Name) && string.IsNullOrWhiteSpace(cache.BaseUrl))
            {
                continue;
            }

            var field = $"Caches[{settings.Caches.Count}]";
            rows.Add(row);
            settings.Caches.Add(new CachePurgeCacheSettings
            {
                Name = cache.Name?.Trim() ?? "",
                BaseUrl = cache.BaseUrl?.Trim() ?? "",
                Kind = cache.Kind,
                TimeoutSeconds = cache.TimeoutSeconds,
                MaxConcurrency = cache.MaxConcurrency,
                RequestsPerSecond = cache.RequestsPerSecond,
                // The page shows only the fields of the cache's kind; anything posted for another kind is ignored.
                PurgePathPrefix = CachePurgeCacheViewModel.UsesPurgePathPrefix(cache.Kind) ? cache.PurgePathPrefix?.Trim() ?? "" : "",
                Method = CachePurgeCacheViewModel.UsesMethodAndPathTemplate(cache.Kind) ? cache.Method?.Trim() ?? "" : "",
                PathTemplate = CachePurgeCacheViewModel.UsesMethodAndPathTemplate(cache.Kind) ? cache.PathTemplate?.Trim() ?? "" : "",
                TagHeader = CachePurgeCacheViewModel.UsesTagHeader(cache.Kind) ? cache.TagHeader?.Trim() ?? "" : "",
                ConfirmEviction = CachePurgeCacheViewModel.UsesConfirmEviction(cache.Kind) && cache.ConfirmEviction,
                SoftPurge = CachePurgeCacheViewModel.UsesSoftPurge(cache.Kind) && cache.SoftPurge,
                Http2 = cache.Http2,
                ZoneId = cache.Kind == CacheKind.Cloudflare ? cache.ZoneId?.Trim() ?? "" : "",
                ServiceId = cache.Kind == CacheKind.Fastly ? cache.ServiceId?.Trim() ?? "" : "",
                ApiToken = CachePurgeCacheViewModel.IsCdn(cache.Kind) ? cache.ApiToken?.Trim() ?? "" : "",
                CloudflarePlan = cache.Kind == CacheKind.Cloudflare ? cache.CloudflarePlan : CloudflarePlan.Free,

                // A form that leaves it out (another kind) keeps the default.
                ItemsPerCall = CachePurgeCacheViewModel.IsCdn(cache.Kind) && cache.ItemsPerCall != 0 ? cache.ItemsPerCall : new CachePurgeCacheSettings().ItemsPerCall,
                Schemes = CachePurgeCacheViewModel.UsesSchemes(cache.Kind) && !string.IsNullOrWhiteSpace(cache.Schemes)
                    ? [.. cache.Schemes.Split([',', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant())]
                    : [],
                NeverPurgeEverything = CachePurgeCacheViewModel.IsCdn(cache.Kind) && cache.NeverPurgeEverything,
                ClientToken = cache.Kind == CacheKind.Akamai ? cache.ClientToken?.Trim() ?? "" : "",
                AccessToken = cache.Kind == CacheKind.Akamai ? cache.AccessToken?.Trim() ?? "" : "",
                AkamaiNetwork = cache.Kind == CacheKind.Akamai ? cache.AkamaiNetwork : AkamaiNetwork.Production,
                AkamaiPurgeAction = cache.Kind == CacheKind.Akamai ? cache.AkamaiPurgeAction : AkamaiPurgeAction.Invalidate,
                CpCodes = cache.Kind == CacheKind.Akamai ? ParseCpCodes(cache.CpCodes, $"{field}.CpCodes", errors, S) : [],
                PullZoneId = cache.Kind == CacheKind.Bunny ? cache.PullZoneId?.Trim() ?? "" : "",
                DistributionId = cache.Kind == CacheKind.CloudFront ? cache.DistributionId?.Trim() ?? "" : "",
                AccessKeyId = cache.Kind == CacheKind.CloudFront ? cache.AccessKeyId?.Trim() ?? "" : "",
                MonthlyPathBudget = cache.Kind == CacheKind.CloudFront ? cache.MonthlyPathBudget : new CachePurgeCacheSettings().MonthlyPathBudget,
                AzureSubscriptionId = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureSubscriptionId?.Trim() ?? "" : "",
                AzureResourceGroup = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureResourceGroup?.Trim() ?? "" : "",
                AzureProfile = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureProfile?.Trim() ?? "" : "",
                AzureEndpoint = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureEndpoint?.Trim() ?? "" : "",
                AzureCredential = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureCredential : AzureCredentialKind.ClientSecret,
                AzureTenantId = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureTenantId?.Trim() ?? "" : "",
                AzureClientId = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureClientId?.Trim() ?? "" : "",
                AzureAuthorityHost = cache.Kind == CacheKind.AzureFrontDoor ? cache.AzureAuthorityHost?.Trim() ?? "" : "",
                Headers =
                [
                    .. ParseHeaders(cache.Headers, secret: false, $"{field}.Headers", errors, S),
                    .. ParseHeaders(cache.SecretHeaders, secret: true, $"{field}.SecretHeaders", errors, S),
                ],
            });
        }

        return (settings, rows, errors);
    }

    private static List<int> ParseCpCodes(string text, string field, List<(string, string)> errors, IStringLocalizer S)
    {
        List<int> codes = [];
        foreach (var code in (text ?? "").Split([',', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                codes.Add(number);
            }
            else
            {
                errors.Add((field, S["'{0}' is not a CP code; list numbers, comma-separated (e.g. 12345, 98765).", code]));
            }
        }

        return codes;
    }

    private static IEnumerable<CachePurgeHeaderSettings> ParseHeaders(string text, bool secret, string field, List<(string, string)> errors, IStringLocalizer S)
    {
        foreach (var (line, number) in SplitLines(text))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                // A secret line is not echoed: it may be the secret itself, typed without its name.
                errors.Add((field, secret ? S["line {0} is not 'Name: value'.", number] : S["line {0}: '{1}' is not 'Name: value'.", number, line]));
                continue;
            }

            yield return new CachePurgeHeaderSettings
            {
                Name = line[..colon].Trim(),
                Value = line[(colon + 1)..].Trim(),
                Secret = secret,
            };
        }
    }

    private static IEnumerable<(string Text, int Number)> SplitLines(string text) =>
        (text ?? "").Split('\n')
            .Select((line, index) => (line.Trim(), index + 1))
            .Where(l => l.Item1.Length > 0);

    /// <summary>
    /// Maps a settings field (<c>Caches[0].BaseUrl</c>) to the form row it came from; one header
    /// (<c>Caches[0].Headers[2]</c>) to the box it was typed in, Headers or SecretHeaders.
    /// </summary>
    internal static string ToFormField(string field, List<int> rows, CachePurgeSettings settings)
    {
        if (!field.StartsWith("Caches[", StringComparison.Ordinal))
        {
            return field;
        }

        var end = field.IndexOf(']');
        if (!int.TryParse(field.AsSpan(7, end - 7), out var index) || index >= rows.Count)
        {
            return field;
        }

        var rest = field[(end + 1)..];
        const string headerPrefix = ".Headers[";
        if (rest.StartsWith(headerPrefix, StringComparison.Ordinal)
            && int.TryParse(rest.AsSpan(headerPrefix.Length, rest.Length - headerPrefix.Length - 1), out var header)
            && header < settings.Caches[index].Headers.Count)
        {
            rest = settings.Caches[index].Headers[header].Secret ? ".SecretHeaders" : ".Headers";
        }

        return $"Caches[{rows[index]}]{rest}";
    }

    private static CachePurgeCacheViewModel ToViewModel(CachePurgeCacheSettings cache) => new()
    {
        Name = cache.Name,
        BaseUrl = cache.BaseUrl,
        Kind = cache.Kind,
        TimeoutSeconds = cache.TimeoutSeconds,
        MaxConcurrency = cache.MaxConcurrency,
        RequestsPerSecond = cache.RequestsPerSecond,
        PurgePathPrefix = cache.PurgePathPrefix,
        Method = cache.Method,
        PathTemplate = cache.PathTemplate,
        TagHeader = cache.TagHeader,
        ConfirmEviction = cache.ConfirmEviction,
        SoftPurge = cache.SoftPurge,
        Http2 = cache.Http2,
        ZoneId = cache.ZoneId,
        ServiceId = cache.ServiceId,

        // Write-only, as Orchard's SMTP password: the token, even protected, never goes back to the browser.
        HasApiToken = !string.IsNullOrEmpty(cache.ApiToken),
        CloudflarePlan = cache.CloudflarePlan,
        ItemsPerCall = cache.ItemsPerCall,
        Schemes = cache.Schemes is { Count: > 0 } schemes ? string.Join(", ", schemes) : "https",
        NeverPurgeEverything = cache.NeverPurgeEverything,
        HasClientToken = !string.IsNullOrEmpty(cache.ClientToken),
        HasAccessToken = !string.IsNullOrEmpty(cache.AccessToken),
        AkamaiNetwork = cache.AkamaiNetwork,
        AkamaiPurgeAction = cache.AkamaiPurgeAction,
        CpCodes = string.Join(", ", cache.CpCodes ?? []),
        PullZoneId = cache.PullZoneId,
        DistributionId = cache.DistributionId,
        AccessKeyId = cache.AccessKeyId,
        MonthlyPathBudget = cache.MonthlyPathBudget,
        AzureSubscriptionId = cache.AzureSubscriptionId,
        AzureResourceGroup = cache.AzureResourceGroup,
        AzureProfile = cache.AzureProfile,
        AzureEndpoint = cache.AzureEndpoint,
        AzureCredential = cache.AzureCredential,
        AzureTenantId = cache.AzureTenantId,
        AzureClientId = cache.AzureClientId,
        AzureAuthorityHost = cache.AzureAuthorityHost,
        Headers = string.Join(Environment.NewLine, cache.Headers.Where(h => !h.Secret).Select(h => $"{h.Name}: {h.Value}")),

        // Names only: a secret is write-only, and a name alone on its line keeps the stored value.
        SecretHeaders = string.Join(Environment.NewLine, cache.Headers.Where(h => h.Secret).Select(h => $"{h.Name}:")),
        StoredSecretNames = [.. cache.Headers.Where(h => h.Secret).Select(h => h.Name)],
    };
}

using CachePurge.Core;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Localization;
using OrchardCore.Admin;
using OrchardCore.DisplayManagement.Notify;
using OrchardCore.Environment.Shell;

namespace CachePurge.Module.Controllers;

/// <summary>The operations page: purge now, test the caches, see what was sent and what is waiting.</summary>
[Admin("CachePurge/{action}", "CachePurge{action}")]
public sealed class AdminController : Controller
{
    /// <summary>The path a test purges: nothing should be cached there, so the test removes no real page.</summary>
    public const string ProbePath = "/cachepurge-probe";

    private readonly IAuthorizationService _authorizationService;
    private readonly TenantPurgeDispatcher _dispatcher;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly INotifier _notifier;
    private readonly ShellSettings _shellSettings;

    internal readonly IHtmlLocalizer H;

    public AdminController(
        IAuthorizationService authorizationService,
        TenantPurgeDispatcher dispatcher,
        CachePurgeSettingsService settingsService,
        INotifier notifier,
        ShellSettings shellSettings,
        IHtmlLocalizer<AdminController> htmlLocalizer)
    {
        _authorizationService = authorizationService;
        _dispatcher = dispatcher;
        _settingsService = settingsService;
        _notifier = notifier;
        _shellSettings = shellSettings;
        H = htmlLocalizer;
    }

    public async Task<IActionResult> Index()
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        return View(await BuildModelAsync());
    }

    [HttpPost]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Purge(string urls)
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        var lines = (urls ?? "").Split('\n').Select(l => l.Trim()).ToArray();
        var (queued, refused) = await _dispatcher.UseAsync(dispatcher =>
        {
            var batch = dispatcher.CreateBatch();
            List<string> refused = [];
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0 && batch.AddUrl(lines[i]) is { IsValid: false } result)
                {
                    refused.Add($"line {i + 1}: {result.Error}");
                }
            }

            // All or nothing, like a form: a typo should not send half of the list.
            if (refused.Count == 0)
            {
                batch.Commit();
            }

            return (refused.Count == 0 ? batch.Targets.Count : 0, refused);
        }, (-1, []));

        if (queued < 0)
        {
            await _notifier.WarningAsync(H["Purging is off or no cache is configured."]);
            return RedirectToAction(nameof(Index));
        }

        if (refused.Count > 0)
        {
            foreach (var error in refused)
            {
                await _notifier.ErrorAsync(H["Nothing was purged. {0}", error]);
            }

            var model = await BuildModelAsync();
            model.Urls = urls;
            return View(nameof(Index), model);
        }

        await _notifier.SuccessAsync(H["{0} pages are being purged from every cache.", queued]);
        return RedirectToAction(nameof(Index));
    }

    [HttpPost]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> PurgeEverything(string cache)
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        // Pages carry the site tag only while tags are sent; before that, or without them, only a BAN clears a site.
        var (settings, _) = await _settingsService.GetSettingsAsync();
        var pagesCarrySiteTag = !string.IsNullOrWhiteSpace(settings.ResponseTagHeader);
        var siteTag = ContentTags.ForSite(_shellSettings.Name);

        var sent = await _dispatcher.UseAsync(dispatcher =>
        {
            // The engine's queues are the caches it was built with, whatever the settings say since.
            var endpoints = dispatcher.Endpoints.Where(e => string.IsNullOrEmpty(cache) || e.Name == cache).ToList();
            foreach (var endpoint in endpoints)
            {
                // Journaled like any purge: a cache that is down gets it when it is back.
                var batch = dispatcher.CreateBatch(endpoint.Name);
                if (pagesCarrySiteTag && endpoint.CanPurgeTags)
                {
                    batch.AddTag(siteTag);
                }
                else
                {
                    batch.AddEverything();
                }

                batch.Commit();
            }

            return endpoints.Count;
        }, -1);

        if (sent < 0)
        {
            await _notifier.WarningAsync(H["Purging is off or no cache is configured."]);
        }
        else if (sent == 0)
        {
            await _notifier.WarningAsync(H["No cache is named '{0}'.", cache]);
        }
        else
        {
            await _notifier.SuccessAsync(H["Every page is being purged from {0} caches; caches that cannot purge everything at once ignore it.", sent]);
        }

        return RedirectToAction(nameof(Index));
    }

    [HttpPost]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Test(string cache)
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        // The probe bypasses the queue and the journal: a cache that is down is reported now, not retried for a day.
        // It is awaited outside the dispatcher's lock so that commits of other requests do not wait on the network.
        var probe = await _dispatcher.UseAsync(
            dispatcher => dispatcher.GetPendingCounts().ContainsKey(cache ?? "") ? dispatcher.ProbeAsync(cache, ProbePath, HttpContext.RequestAborted) : null,
            null);
        var results = probe is null ? [] : new[] { await probe };
        if (results.Length == 0)
        {
            await _notifier.WarningAsync(H["Nothing was sent to the cache '{0}': it is not configured, or purging is off.", cache]);
        }

        var model = await BuildModelAsync();
        model.TestResults = results;
        return View(nameof(Index), model);
    }

    [HttpPost]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> ReplayDeadLetters()
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        var count = await _dispatcher.UseAsync(dispatcher => dispatcher.ReplayDeadLetters(), 0);
        await _notifier.SuccessAsync(H["{0} failed purges are queued again.", count]);

        return RedirectToAction(nameof(Index));
    }

    private async Task<CachePurgeIndexViewModel> BuildModelAsync()
    {
        var options = await _settingsService.GetOptionsAsync();
        var model = await _dispatcher.UseAsync(dispatcher => new CachePurgeIndexViewModel
        {
            IsActive = true,
            PendingCounts = dispatcher.GetPendingCounts(),
            DeadLetters = dispatcher.GetDeadLetters(),
            RecentResults = dispatcher.GetRecentResults(),
            EvictionLatency = dispatcher.GetEvictionLatency(),
        }, new CachePurgeIndexViewModel());

        model.Caches = options?.Endpoints ?? [];
        return model;
    }
}

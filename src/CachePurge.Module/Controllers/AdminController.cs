using CachePurge.Core;
using CachePurge.Module.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Localization;
using OrchardCore.Admin;
using OrchardCore.DisplayManagement.Notify;

namespace CachePurge.Module.Controllers;

/// <summary>The operations page: purge now, test the caches, see what was sent and what is waiting.</summary>
[Admin("CachePurge/{action}", "CachePurge{action}")]
public sealed class AdminController : Controller
{
    private readonly IAuthorizationService _authorizationService;
    private readonly CachePurgeOperations _operations;
    private readonly INotifier _notifier;

    internal readonly IHtmlLocalizer H;

    public AdminController(
        IAuthorizationService authorizationService,
        CachePurgeOperations operations,
        INotifier notifier,
        IHtmlLocalizer<AdminController> htmlLocalizer)
    {
        _authorizationService = authorizationService;
        _operations = operations;
        _notifier = notifier;
        H = htmlLocalizer;
    }

    public async Task<IActionResult> Index()
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        return View(await _operations.BuildIndexAsync());
    }

    /// <summary>What is still waiting to be sent, per cache: the part of the page that refreshes itself during a long purge or replay.</summary>
    public async Task<IActionResult> Status()
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        return PartialView("CachePurgeStatus", await _operations.GetWaitingAsync());
    }

    [HttpPost]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Purge(string urls)
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return Forbid();
        }

        var purge = await _operations.PurgeUrlsAsync(urls);
        if (!purge.IsActive)
        {
            await _notifier.WarningAsync(H["Purging is off or no cache is configured."]);
            return RedirectToAction(nameof(Index));
        }

        if (purge.Refused.Count > 0)
        {
            foreach (var refused in purge.Refused)
            {
                await _notifier.ErrorAsync(H["Nothing was purged. Line {0}: {1}", refused.Line, refused.Error]);
            }

            // The list is shown again so that the typo can be fixed without typing the rest again.
            var model = await _operations.BuildIndexAsync();
            model.Urls = urls;
            return View(nameof(Index), model);
        }

        if (purge.Queued == 0)
        {
            await _notifier.WarningAsync(H["Enter at least one page to purge."]);
        }
        else
        {
            await _notifier.SuccessAsync(H.Plural(purge.Queued, "1 page is being purged from every cache.", "{0} pages are being purged from every cache."));
        }

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

        var purge = await _operations.PurgeEverythingRequestedAsync(cache);
        if (!purge.IsActive)
        {
            await _notifier.WarningAsync(H["Purging is off or no cache is configured."]);
            return RedirectToAction(nameof(Index));
        }

        if (purge.Methods.Count == 0)
        {
            await _notifier.WarningAsync(H["No cache is named '{0}'.", cache]);
            return RedirectToAction(nameof(Index));
        }

        var purged = purge.Methods.Where(m => m.Value != PurgeEverythingMethod.NotPossible).Select(m => m.Key).ToList();
        var unable = purge.Methods.Where(m => m.Value == PurgeEverythingMethod.NotPossible).Select(m => m.Key).ToList();
        if (purged.Count > 0)
        {
            await _notifier.SuccessAsync(H.Plural(purged.Count, "Every page is being purged from {1}.", "Every page is being purged from {0} caches: {1}.", string.Join(", ", purged)));
        }

        if (unable.Count > 0)
        {
            await _notifier.WarningAsync(H.Plural(unable.Count, "{1} cannot purge every page at once: nothing was sent to it.", "{0} caches cannot purge every page at once: nothing was sent to {1}.", string.Join(", ", unable)));
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

        // A CDN is asked to read its zone or service with the credentials, which purges nothing.
        var check = await _operations.CheckConnectionAsync(cache, HttpContext.RequestAborted);
        if (check is not null)
        {
            await (check.Outcome switch
            {
                ConnectionCheckOutcome.Succeeded => _notifier.SuccessAsync(H["The connection to {0} works: {1}.", cache, check.Description]),
                ConnectionCheckOutcome.Refused => _notifier.ErrorAsync(H["{0} refused the credentials: {1}", cache, check.Description]),
                _ => _notifier.ErrorAsync(H["The connection to {0} could not be checked: {1}", cache, check.Description]),
            });

            // What the credentials may do beyond the settings (or lack for them) is shown apart from the success.
            foreach (var warning in check.Warnings)
            {
                await _notifier.WarningAsync(H["Warning for {0}: {1}.", cache, warning]);
            }
            return View(nameof(Index), await _operations.BuildIndexAsync());
        }

        var answer = await _operations.TestAsync(cache, HttpContext.RequestAborted);
        if (answer is null)
        {
            await _notifier.WarningAsync(H["Nothing was sent to the cache '{0}': it is not configured, or purging is off.", cache]);
        }

        // The page itself is the answer: the result is shown, not kept for a redirect.
        var model = await _operations.BuildIndexAsync();
        model.TestResults = answer is null ? [] : [answer];
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

        var count = await _operations.ReplayDeadLettersAsync();
        if (count == 0)
        {
            await _notifier.InformationAsync(H["No failed purge is waiting to be retried."]);
        }
        else
        {
            await _notifier.SuccessAsync(H.Plural(count, "1 failed purge is queued again.", "{0} failed purges are queued again."));
        }

        return RedirectToAction(nameof(Index));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchardCore.BackgroundTasks;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Hands to this node's engine the purge intents that a request saved with its content changes but never handed over
/// itself: its node died, or its engine refused them, between the commit and the hand-over. Orchard runs the task
/// every minute on each node under its distributed lock (Redis-backed on a farm), so one node at a time takes them.
/// </summary>
[BackgroundTask(
    Title = "Cache purge recovery",
    Schedule = "* * * * *",
    Description = "Sends the cache purges of content changes whose node stopped before sending them.",
    LockTimeout = 1_000,
    LockExpiration = 300_000)]
public sealed class PurgeIntentRecoveryTask : IBackgroundTask
{
    /// <summary>How long a request has to hand over its own intents before they count as left behind.</summary>
    public static readonly TimeSpan HandOverTime = TimeSpan.FromSeconds(30);

    private const int PageSize = 100;

    private readonly IClock _clock;
    private readonly ILogger _logger;

    public PurgeIntentRecoveryTask(IClock clock, ILogger<PurgeIntentRecoveryTask> logger)
    {
        _clock = clock;
        _logger = logger;
    }

    public async Task DoWorkAsync(IServiceProvider serviceProvider, CancellationToken cancellationToken)
    {
        var intents = serviceProvider.GetRequiredService<IPurgeIntentStore>();
        var dispatcher = serviceProvider.GetRequiredService<TenantPurgeDispatcher>();
        var tenant = serviceProvider.GetRequiredService<ShellSettings>().Name;
        var savedBefore = _clock.UtcNow - HandOverTime;

        var recovered = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await intents.ListSavedBeforeAsync(savedBefore, PageSize);
            foreach (var intent in page)
            {
                try
                {
                    await dispatcher.CommitAsync(intent.Urls, intent.Tags);
                }
                catch (Exception exception) when (!exception.IsFatal())
                {
                    CachePurgeModuleLog.IntentNotRecovered(_logger, exception, tenant);
                    return;
                }

                await intents.DeleteAsync(intent.Id);
                recovered++;
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        if (recovered > 0)
        {
            CachePurgeModuleLog.IntentsRecovered(_logger, tenant, recovered);
        }
    }
}

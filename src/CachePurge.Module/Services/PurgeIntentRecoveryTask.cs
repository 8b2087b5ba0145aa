using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchardCore.BackgroundTasks;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Takes over the purge intents nobody answers for: those a request saved with its content changes but never handed to
/// its engine (its node died in between, or the engine refused them), and those of a node that died holding them, once
/// its lease ran out. Orchard runs the task every minute on each node under its distributed lock (Redis-backed on a
/// farm), so one node at a time takes them.
/// </summary>
[BackgroundTask(
    Title = "Cache purge recovery",
    Schedule = "* * * * *",
    Description = "Sends the cache purges of content changes whose node stopped before delivering them.",
    LockTimeout = 1_000,
    LockExpiration = 300_000)]
public sealed class PurgeIntentRecoveryTask : IBackgroundTask
{
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
        var handOver = serviceProvider.GetRequiredService<PurgeIntentHandOver>();
        var options = serviceProvider.GetRequiredService<IOptions<PurgeIntentOptions>>().Value;
        var tenant = serviceProvider.GetRequiredService<ShellSettings>().Name;
        var now = _clock.UtcNow;

        var recovered = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken-over intents get a new lease, so the next page holds others.
            var page = await intents.ListUnansweredAsync(now - options.IntentHandOverTime, now, PurgeNode.Id, PageSize);
            foreach (var intent in page)
            {
                try
                {
                    await handOver.TakeOverAsync(intent);
                }
                catch (Exception exception) when (!exception.IsFatal())
                {
                    CachePurgeModuleLog.IntentNotRecovered(_logger, exception, tenant);
                    return;
                }

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

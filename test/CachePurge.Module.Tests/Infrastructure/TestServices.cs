using CachePurge.Module.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrchardCore.Environment.Shell;

namespace CachePurge.Module.Tests.Infrastructure;

public static class TestServices
{
    public static CachePurgeSettingsService CreateSettingsService(
        FakeSiteService siteService = null,
        string urlPrefix = "",
        IDataProtectionProvider dataProtection = null,
        ILogger<CachePurgeSettingsService> logger = null) =>
        new(
            siteService ?? new FakeSiteService(),
            new ShellSettings { Name = "Default", RequestUrlPrefix = urlPrefix },
            Options.Create(new ShellOptions { ShellsApplicationDataPath = "/srv/site/App_Data", ShellsContainerName = "Sites" }),
            dataProtection ?? new EphemeralDataProtectionProvider(),
            logger ?? NullLogger<CachePurgeSettingsService>.Instance,
            new PassThroughLocalizer<CachePurgeSettingsService>());
}

using CachePurge.Module.Drivers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;
using OrchardCore.Navigation;

namespace CachePurge.Module;

public sealed class AdminMenu : AdminNavigationProvider
{
    private static readonly RouteValueDictionary _settingsRouteValues = new()
    {
        { "area", "OrchardCore.Settings" },
        { "groupId", CachePurgeSettingsDisplayDriver.GroupId },
    };

    private static readonly RouteValueDictionary _policyRouteValues = new()
    {
        { "area", "OrchardCore.Settings" },
        { "groupId", CachePolicySettingsDisplayDriver.GroupId },
    };

    internal readonly IStringLocalizer S;

    public AdminMenu(IStringLocalizer<AdminMenu> stringLocalizer)
    {
        S = stringLocalizer;
    }

    protected override ValueTask BuildAsync(NavigationBuilder builder)
    {
        // Read the switch directly: how Orchard exposes it moved between releases.
        if (AppContext.TryGetSwitch(NavigationConstants.LegacyAdminMenuNavigationSwitchKey, out var legacy) && legacy)
        {
            builder
                .Add(S["Configuration"], configuration => configuration
                    .Add(S["Settings"], settings => settings
                        .Add(S["Cache Purge"], S["Cache Purge"].PrefixPosition(), cachePurge => cachePurge
                            .Action("Index", "Admin", _settingsRouteValues)
                            .Permission(Permissions.ManageCachePurge)
                            .LocalNav()
                        )
                        .Add(S["Cache Policy"], S["Cache Policy"].PrefixPosition(), cachePolicy => cachePolicy
                            .Action("Index", "Admin", _policyRouteValues)
                            .Permission(Permissions.ManageCachePurge)
                            .LocalNav()
                        )
                    )
                    .Add(S["Cache Purge"], S["Cache Purge"].PrefixPosition(), operations => operations
                        .Action("Index", "Admin", "CachePurge")
                        .Permission(Permissions.ManageCachePurge)
                        .LocalNav()
                    )
                );

            return ValueTask.CompletedTask;
        }

        builder
            .Add(S["Settings"], settings => settings
                .Add(S["Cache Purge"], S["Cache Purge"].PrefixPosition(), cachePurge => cachePurge
                    .Action("Index", "Admin", _settingsRouteValues)
                    .Permission(Permissions.ManageCachePurge)
                    .LocalNav()
                )
                .Add(S["Cache Policy"], S["Cache Policy"].PrefixPosition(), cachePolicy => cachePolicy
                    .Action("Index", "Admin", _policyRouteValues)
                    .Permission(Permissions.ManageCachePurge)
                    .LocalNav()
                )
            )
            .Add(S["Tools"], tools => tools
                .Add(S["Cache Purge"], S["Cache Purge"].PrefixPosition(), operations => operations
                    .Action("Index", "Admin", "CachePurge")
                    .Permission(Permissions.ManageCachePurge)
                    .LocalNav()
                )
            );

        return ValueTask.CompletedTask;
    }
}

using OrchardCore;
using OrchardCore.Security.Permissions;

namespace CachePurge.Module;

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ManageCachePurge = new("ManageCachePurge", "Manage cache purge settings and purge caches");

    private readonly IEnumerable<Permission> _allPermissions =
    [
        ManageCachePurge,
    ];

    public Task<IEnumerable<Permission>> GetPermissionsAsync()
        => Task.FromResult(_allPermissions);

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() =>
    [
        new PermissionStereotype
        {
            Name = OrchardCoreConstants.Roles.Administrator,
            Permissions = _allPermissions,
        },
    ];
}

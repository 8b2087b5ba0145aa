using CachePurge.Module.Indexes;
using CachePurge.Module.Services;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Settings;
using OrchardCore.Data.Migration;
using YesSql.Sql;

namespace CachePurge.Module;

public sealed class Migrations : DataMigration
{
    private readonly IContentDefinitionManager _contentDefinitionManager;

    public Migrations(IContentDefinitionManager contentDefinitionManager)
    {
        _contentDefinitionManager = contentDefinitionManager;
    }

    public async Task<int> CreateAsync()
    {
        await _contentDefinitionManager.AlterPartDefinitionAsync("PurgeUrlsPart", builder => builder
            .Attachable()
            .WithDescription("Lists other pages of the site to purge from the caches whenever the content item changes."));

        await CreatePurgeIntentTablesAsync();
        await CreatePurgeNodeStatusTableAsync();
        return 3;
    }

    public async Task<int> UpdateFrom1Async()
    {
        await CreatePurgeIntentTablesAsync();
        return 2;
    }

    public async Task<int> UpdateFrom2Async()
    {
        await CreatePurgeNodeStatusTableAsync();
        return 3;
    }

    private async Task CreatePurgeIntentTablesAsync()
    {
        await SchemaBuilder.CreateMapIndexTableAsync<PurgeIntentIndex>(
            table => table
                .Column<DateTime>(nameof(PurgeIntentIndex.CreatedUtc))
                .Column<string>(nameof(PurgeIntentIndex.Owner), column => column.Nullable().WithLength(PurgeNode.MaxIdLength))
                .Column<long>(nameof(PurgeIntentIndex.Sequence))
                .Column<DateTime>(nameof(PurgeIntentIndex.LeaseUntilUtc), column => column.Nullable()),
            collection: PurgeIntentIndexProvider.Collection);

        await SchemaBuilder.AlterIndexTableAsync<PurgeIntentIndex>(
            table => table.CreateIndex("IDX_PurgeIntentIndex_Owner", "DocumentId", nameof(PurgeIntentIndex.Owner), nameof(PurgeIntentIndex.Sequence)),
            collection: PurgeIntentIndexProvider.Collection);
    }

    private async Task CreatePurgeNodeStatusTableAsync()
    {
        await SchemaBuilder.CreateMapIndexTableAsync<PurgeNodeStatusIndex>(
            table => table
                .Column<string>(nameof(PurgeNodeStatusIndex.Node), column => column.WithLength(PurgeNode.MaxIdLength))
                .Column<DateTime>(nameof(PurgeNodeStatusIndex.LastSeenUtc)),
            collection: PurgeIntentIndexProvider.Collection);

        await SchemaBuilder.AlterIndexTableAsync<PurgeNodeStatusIndex>(
            table => table.CreateIndex("IDX_PurgeNodeStatusIndex_Node", "DocumentId", nameof(PurgeNodeStatusIndex.Node)),
            collection: PurgeIntentIndexProvider.Collection);
    }
}

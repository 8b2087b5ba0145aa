using OrchardCore.Modules.Manifest;

[assembly: Module(
    Name = "Cache Purge",
    Author = "CachePurge",
    Version = "1.0.0",
    Description = "Purges Varnish, Squid, nginx and CDN caches when content is published, unpublished or removed.",
    Category = "Performance"
)]

[assembly: Feature(
    Id = "CachePurge",
    Name = "Cache Purge",
    Description = "Purges the pages of changed content items from every configured HTTP cache, after the change is saved.",
    Dependencies = ["OrchardCore.Contents", "OrchardCore.Settings"],
    Category = "Performance"
)]

[assembly: Feature(
    Id = "CachePurge.Workflows",
    Name = "Cache Purge Workflows",
    Description = "A \"Purge cache\" workflow task (URLs with Liquid, tags or everything) and a \"Cache purge failed\" event, to alert someone when a cache does not take a purge.",
    Dependencies = ["CachePurge", "OrchardCore.Workflows"],
    Category = "Performance"
)]

using CachePurge.Core;
using Microsoft.Extensions.DependencyInjection;

// Usage: CachePurge.Committer <journal path> <cache base URL> <path prefix>
// Commits one path per batch, forever, and prints "committed N" once Commit has returned.
var services = new ServiceCollection();
services.AddCachePurgeHttpClient();
var httpClientFactory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();

var options = new CachePurgeOptions
{
    JournalPath = args[0],
    SiteHosts = ["www.example.com"],
    Endpoints = [new CacheEndpoint { Name = "varnish", BaseUrl = args[1], Kind = CacheKind.Varnish }],
};

await using var dispatcher = new PurgeDispatcher("committer", options, httpClientFactory);
dispatcher.Start();
using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
for (var i = 0; ; i++)
{
    var batch = dispatcher.CreateBatch();
    batch.AddUrl($"{args[2]}/{i}");
    batch.Commit();
    stdout.WriteLine($"committed {i}");
}

using CachePurge.Bench;

// dotnet run -c Release --project bench/CachePurge.Bench [-- --paths 100000 --concurrency 64 --memory-paths 1000000 --engine-only]
var settings = BenchSettings.Parse(args);
await using var bench = await PurgeBenchmark.StartAsync(settings);
if (settings.EngineOnly)
{
    // For profilers: the engine row alone, without the baselines around it.
    Console.WriteLine(await bench.RunEngineOnlyAsync());
    return 0;
}

var report = await bench.RunAsync();
Console.WriteLine(report);
return 0;

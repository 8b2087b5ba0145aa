using CachePurge.Bench;

// dotnet run -c Release --project bench/CachePurge.Bench [-- --paths 100000 --concurrency 64 --million]
var settings = BenchSettings.Parse(args);
await using var bench = await PurgeBenchmark.StartAsync(settings);
var report = await bench.RunAsync();
Console.WriteLine(report);
return 0;

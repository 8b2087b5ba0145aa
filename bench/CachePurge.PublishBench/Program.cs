using CachePurge.PublishBench;

// dotnet run -c Release --project bench/CachePurge.PublishBench [-- --rounds 5 --publishes 100 --cache-delay 2 --database sqlite|postgres]
var settings = PublishBenchSettings.Parse(args);
await using var bench = await PublishBenchmark.StartAsync(settings);
Console.WriteLine(await bench.RunAsync());
return 0;

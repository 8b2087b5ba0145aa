using CachePurge.IdleBench;

// dotnet run -c Release --project bench/CachePurge.IdleBench [-- --engines 500 --window 30 --publishes 40]
var engines = Option("--engines", 500);
var window = Option("--window", 30);
var publishes = Option("--publishes", 40);
Console.WriteLine(await new IdleBenchmark(engines, TimeSpan.FromSeconds(window), publishes).RunAsync());
return 0;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

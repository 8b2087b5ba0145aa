namespace CachePurge.Bench;

/// <summary>Sizes of the runs; the defaults are the ones the README's table comes from.</summary>
internal sealed record BenchSettings(int Paths, int Concurrency, int NaivePaths, int MemoryPaths, TimeSpan WrkDuration, int Rounds, bool EngineOnly = false)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(Paths: 100_000, Concurrency: 64, NaivePaths: 5_000, MemoryPaths: 1_000_000, WrkDuration: TimeSpan.FromSeconds(5), Rounds: 3);
        if (args.Contains("--engine-only"))
        {
            settings = settings with { EngineOnly = true };
            args = [.. args.Where(a => a != "--engine-only")];
        }

        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1]);
            settings = args[i] switch
            {
                "--paths" => settings with { Paths = value },
                "--concurrency" => settings with { Concurrency = value },
                "--naive-paths" => settings with { NaivePaths = value },
                "--memory-paths" => settings with { MemoryPaths = value },
                "--wrk-seconds" => settings with { WrkDuration = TimeSpan.FromSeconds(value) },
                "--rounds" => settings with { Rounds = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; known: --paths --concurrency --naive-paths --memory-paths --wrk-seconds --rounds --engine-only"),
            };
        }

        return settings;
    }
}

namespace CachePurge.PublishBench;

/// <param name="Database">Sqlite (the sample site's embedded default) or Postgres (a throwaway cluster the benchmark starts).</param>
internal sealed record PublishBenchSettings(int Rounds, int Publishes, TimeSpan CacheDelay, string Database)
{
    public static PublishBenchSettings Parse(string[] args)
    {
        string Text(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Text(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);

        var database = Text("--database", "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => "Sqlite",
            "postgres" or "postgresql" => "Postgres",
            var other => throw new ArgumentException($"--database: '{other}' is not sqlite or postgres."),
        };

        return new(Int("--rounds", 5), Int("--publishes", 100), TimeSpan.FromSeconds(Int("--cache-delay", 2)), database);
    }
}

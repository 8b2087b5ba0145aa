namespace CachePurge.PublishBench;

internal sealed record PublishBenchSettings(int Rounds, int Publishes, TimeSpan CacheDelay)
{
    public static PublishBenchSettings Parse(string[] args)
    {
        int Int(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        }

        return new(Int("--rounds", 5), Int("--publishes", 100), TimeSpan.FromSeconds(Int("--cache-delay", 2)));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CachePurge.Bench;

/// <summary>wrk sending PURGE of distinct paths to the same Varnish: the loopback limit of this machine.</summary>
internal static partial class WrkRunner
{
    private const string Script = """
        local thread_id = 0
        function setup(thread)
          thread:set("id", thread_id)
          thread_id = thread_id + 1
        end
        local counter = 0
        function request()
          counter = counter + 1
          return wrk.format("PURGE", "/bench/{{NAME}}/" .. id .. "/" .. counter, { ["Host"] = "{{HOST}}" })
        end
        """;

    public static async Task<Throughput> RunAsync(Uri cache, string host, string name, TimeSpan duration, int connections, string directory)
    {
        var script = Path.Combine(directory, name + ".lua");
        await File.WriteAllTextAsync(script, Script.Replace("{{HOST}}", host).Replace("{{NAME}}", name));
        var info = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "-s", script, cache.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start: run .ci/install-caches.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var requests = RequestsLine().Match(output);
        var seconds = DurationLine().Match(output);
        if (!requests.Success || !seconds.Success)
        {
            throw new InvalidOperationException("Could not read wrk's output:\n" + output + await process.StandardError.ReadToEndAsync());
        }

        return new Throughput(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(seconds.Groups[1].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"requests in ([\d.]+)s")]
    private static partial Regex DurationLine();
}

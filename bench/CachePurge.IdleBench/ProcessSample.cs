using System.Diagnostics;

namespace CachePurge.IdleBench;

/// <summary>What the process uses at one moment: CPU time so far, working set after a full collection, timers, open files.</summary>
internal readonly record struct ProcessSample(TimeSpan CpuTime, long WorkingSet, long ManagedHeap, long Timers, int OpenFiles, DateTime At)
{
    public static ProcessSample Take()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return new(process.TotalProcessorTime, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), Timer.ActiveCount, Directory.GetFiles("/proc/self/fd").Length, DateTime.UtcNow);
    }

    /// <summary>CPU used between <paramref name="start"/> and this sample, as a share of one core.</summary>
    public double CoreShareSince(ProcessSample start) => (CpuTime - start.CpuTime).TotalSeconds / (At - start.At).TotalSeconds;
}

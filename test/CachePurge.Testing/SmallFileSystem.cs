using System.Diagnostics;

namespace CachePurge.Testing;

/// <summary>
/// A tmpfs of a few megabytes, mounted for one test, that the test can fill, free and make read-only: a real full or
/// read-only disk under the journal. Mounting needs root, as CI runs; elsewhere the test fails and says so. The file
/// system is unmounted when the test ends. Root ignores permission bits, so read-only is a remount, never a chmod.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private readonly string _filler;
    private readonly bool _ownsFolder;

    private SmallFileSystem(string path, bool ownsFolder)
    {
        Path = path;
        _ownsFolder = ownsFolder;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    /// <summary>Where the file system is mounted.</summary>
    public string Path { get; }

    /// <summary>Mounts a new file system on a folder of its own, or over <paramref name="folder"/>, hiding what it holds until unmounted.</summary>
    public static SmallFileSystem Mount(int megabytes, string? folder = null)
    {
        Assert.True(Environment.IsPrivilegedProcess, "This test mounts a small tmpfs and must run as root (CI does): run the tests as root.");
        var path = folder ?? Directory.CreateTempSubdirectory("cachepurge-tmpfs-").FullName;
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path);
        return new SmallFileSystem(path, ownsFolder: folder is null);
    }

    /// <summary>Writes a file until the file system has no byte left.</summary>
    public void Fill()
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full to the last block, which is the point.
        }

        // Pages a partial write left are full too: take them one by one.
        try
        {
            while (true)
            {
                file.Write(chunk, 0, 512);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Removes what <see cref="Fill"/> wrote.</summary>
    public void Free() => File.Delete(_filler);

    /// <summary>Remounts read-only; the kernel refuses while a file on it is open for writing.</summary>
    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    public void Dispose()
    {
        // Lazy, so that a file a failed test left open does not keep the mount alive.
        Run("umount", "-l", Path);
        if (_ownsFolder)
        {
            Directory.Delete(Path);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}

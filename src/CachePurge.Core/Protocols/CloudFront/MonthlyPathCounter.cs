using System.Globalization;
using System.Text.Json;
using CachePurge.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// The invalidation paths one CloudFront cache has sent this month (UTC, as AWS bills them), kept in a small file
/// beside the journal so that a restart does not forget them (in memory alone when the journal is). A new month starts
/// from zero. Thread-safe: the batch workers of one cache reserve paths concurrently.
/// </summary>
internal sealed class MonthlyPathCounter
{
    private readonly Lock _lock = new();
    private readonly string _endpoint;
    private readonly string? _file;
    private readonly ILogger _logger;
    private readonly CachePurgeMetrics? _metrics;
    private string _month;
    private int _paths;
    private string? _warnedMonth;

    public MonthlyPathCounter(string endpoint, string? file, TimeProvider time, ILogger logger, CachePurgeMetrics? metrics = null)
    {
        _endpoint = endpoint;
        _metrics = metrics;
        _file = file;
        _logger = logger;
        Time = time;
        _month = MonthOf(time.GetUtcNow());
        if (file is not null && Load(file) is { } saved && saved.Month == _month)
        {
            _paths = saved.Paths;
        }
    }

    /// <summary>A count of this process alone, for a protocol made outside an engine.</summary>
    public static MonthlyPathCounter InMemory(string endpoint) => new(endpoint, null, TimeProvider.System, NullLogger.Instance);

    /// <summary>The file beside <paramref name="journalPath"/> that keeps the count of <paramref name="distributionId"/>.</summary>
    public static string? FileFor(string? journalPath, string distributionId) => journalPath is null ? null : $"{journalPath}.cloudfront-{distributionId}.json";

    /// <summary>The clock the month and the signatures are taken from.</summary>
    public TimeProvider Time { get; }

    /// <summary>The month counted and its paths so far.</summary>
    public (string Month, int Paths) Current
    {
        get
        {
            lock (_lock)
            {
                Roll();
                return (_month, _paths);
            }
        }
    }

    /// <summary>Counts <paramref name="paths"/> more (fewer when negative, for a call CloudFront did not take), and saves the count.</summary>
    public void Add(int paths)
    {
        lock (_lock)
        {
            Roll();
            _paths = Math.Max(0, _paths + paths);
            Save();
        }

        _metrics?.InvalidationPaths(_endpoint, paths);
    }

    /// <summary>Says once a month that the budget is spent.</summary>
    public void BudgetSpent(int budget)
    {
        lock (_lock)
        {
            if (_warnedMonth == _month)
            {
                return;
            }

            _warnedMonth = _month;
        }

        CloudFrontLog.BudgetSpent(_logger, _endpoint, budget, _month);
    }

    public void Collapsed(int paths, int sent) => CloudFrontLog.Collapsed(_logger, _endpoint, paths, sent);

    public void NotCollapsed(int paths, int wildcards) => CloudFrontLog.NotCollapsed(_logger, _endpoint, paths, wildcards);

    private static string MonthOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private void Roll()
    {
        var month = MonthOf(Time.GetUtcNow());
        if (month != _month)
        {
            _month = month;
            _paths = 0;
        }
    }

    private SavedCount? Load(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), CloudFrontJson.Default.SavedCount) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // A count that cannot be read starts again from zero: the budget is a guide to cost, not a limit AWS enforces.
            CloudFrontLog.CountNotSaved(_logger, _endpoint, file, ex.Message);
            return null;
        }
    }

    // Written whole to a file of its own, then moved over the last one: a crash leaves either count, never half of one.
    private void Save()
    {
        if (_file is null)
        {
            return;
        }

        var temporary = _file + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_file))!);
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new SavedCount(_month, _paths), CloudFrontJson.Default.SavedCount));
            File.Move(temporary, _file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CloudFrontLog.CountNotSaved(_logger, _endpoint, _file, ex.Message);
        }
    }
}

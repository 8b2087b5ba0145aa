namespace CachePurge.Testing;

/// <summary>Waits for something the background workers do, failing the test after a time limit.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met in {seconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until <paramref name="condition"/>, checked every 100 ms, holds; the failure names <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not met in {seconds} s: {what}");
            await Task.Delay(100);
        }
    }
}

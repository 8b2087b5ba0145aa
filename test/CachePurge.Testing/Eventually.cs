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
}

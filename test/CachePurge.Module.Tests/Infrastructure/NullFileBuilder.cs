using OrchardCore.Deployment;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>A deployment plan's file output that keeps nothing: the tests read the plan's recipe steps.</summary>
public sealed class NullFileBuilder : IFileBuilder
{
    public Task SetFileAsync(string subpath, Stream stream) => Task.CompletedTask;
}

using OrchardCore.Environment.Shell;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Counts the tenant releases asked for, instead of releasing a tenant.</summary>
public sealed class FakeShellReleaseManager : IShellReleaseManager
{
    public int Requests { get; private set; }

    public void RequestRelease() => Requests++;

    public void SuspendReleaseRequest() => Requests = 0;
}

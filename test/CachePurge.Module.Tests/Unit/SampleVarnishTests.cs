namespace CachePurge.Module.Tests.Unit;

/// <summary>The sample site's VCL is the one the integration tests run the module behind.</summary>
public sealed class SampleVarnishTests
{
    [Fact]
    public void Sample_site_vcl_is_the_tested_policy_vcl_from_its_imports_on()
    {
        var root = RepositoryRoot();
        var sample = File.ReadAllText(Path.Combine(root, "src", "CachePurge.SampleSite", "varnish.vcl"));
        var tested = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Caches", "varnish-policy.vcl"))
            .Replace("backend origin {", "backend orchard {", StringComparison.Ordinal)
            .Replace("{{ORIGIN_HOST}}", "127.0.0.1", StringComparison.Ordinal);

        Assert.Equal(FromImports(tested), FromImports(sample));
        Assert.DoesNotContain("beresp.ttl =", sample);
    }

    private static string FromImports(string vcl) => vcl[vcl.IndexOf("import std;", StringComparison.Ordinal)..].ReplaceLineEndings("\n");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CachePurge.Module.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CachePurge.Module.sln not found above " + AppContext.BaseDirectory);
    }
}

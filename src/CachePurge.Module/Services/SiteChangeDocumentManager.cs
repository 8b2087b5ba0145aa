using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Data.Documents;
using OrchardCore.Documents;
using OrchardCore.Environment.Shell.Scope;

namespace CachePurge.Module.Services;

/// <summary>
/// Wraps Orchard's document manager of one document that shapes every page (the templates, the layers, the placements):
/// each update is reported as a site-wide change of <see cref="Kind"/>. Orchard keeps such documents in one
/// <see cref="IDocumentManager{TDocument}"/> each and raises no event when they change, so this is where they are saved.
/// </summary>
public sealed class SiteChangeDocumentManager<TDocument> : IDocumentManager<TDocument> where TDocument : class, IDocument, new()
{
    private readonly IDocumentManager<TDocument> _inner;

    public SiteChangeDocumentManager(IDocumentManager<TDocument> inner, SiteChangeKind kind)
    {
        _inner = inner;
        Kind = kind;
    }

    public SiteChangeKind Kind { get; }

    public Task<TDocument> GetOrCreateMutableAsync(Func<Task<TDocument>> factoryAsync = null) => _inner.GetOrCreateMutableAsync(factoryAsync);

    public Task<TDocument> GetOrCreateImmutableAsync(Func<Task<TDocument>> factoryAsync = null) => _inner.GetOrCreateImmutableAsync(factoryAsync);

    public async Task UpdateAsync(TDocument document, Func<TDocument, Task> afterUpdateAsync = null)
    {
        await _inner.UpdateAsync(document, afterUpdateAsync);

        // The manager is a tenant singleton; the collector belongs to the request saving the document.
        ShellScope.Services?.GetService<SiteChangeCollector>()?.Add(Kind);
    }
}

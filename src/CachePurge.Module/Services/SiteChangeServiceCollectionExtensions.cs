using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Data.Documents;
using OrchardCore.Documents;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

internal static class SiteChangeServiceCollectionExtensions
{
    /// <summary>
    /// Reports every update of <typeparamref name="TDocument"/> as a change of <paramref name="kind"/>. Orchard registers
    /// its document managers as one open generic; this closed registration takes precedence for this document only.
    /// </summary>
    public static IServiceCollection AddSiteChangeDocument<TDocument>(this IServiceCollection services, SiteChangeKind kind)
        where TDocument : class, IDocument, new() =>
        services.AddSingleton<IDocumentManager<TDocument>>(sp =>
            new SiteChangeDocumentManager<TDocument>(ActivatorUtilities.CreateInstance<DocumentManager<TDocument>>(sp), kind));

    /// <summary>Wraps the registered <see cref="ISiteService"/> in a <see cref="SiteChangeSiteService"/>, keeping its lifetime.</summary>
    public static IServiceCollection AddSiteChangeSiteService(this IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(ISiteService));
        if (descriptor?.ImplementationType is not { } implementation)
        {
            return services;
        }

        services.Remove(descriptor);
        services.Add(ServiceDescriptor.Describe(implementation, implementation, descriptor.Lifetime));
        services.Add(ServiceDescriptor.Describe(
            typeof(ISiteService),
            sp => new SiteChangeSiteService((ISiteService)sp.GetRequiredService(implementation)),
            descriptor.Lifetime));
        return services;
    }
}

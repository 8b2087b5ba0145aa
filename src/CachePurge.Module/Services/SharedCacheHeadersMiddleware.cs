using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.Admin;

namespace CachePurge.Module.Services;

/// <summary>
/// Adds the cache policy's headers and the content tags to a response just before its headers are sent, once the page
/// has been rendered. Both follow one verdict of <see cref="SharedCacheability"/>, taken once per response.
/// </summary>
public sealed class SharedCacheHeadersMiddleware
{
    private readonly RequestDelegate _next;

    public SharedCacheHeadersMiddleware(RequestDelegate next)
    {
        _next = next;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        // Only GET and HEAD answers are stored by caches; others are not worth a callback.
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            // Resolved and prepared now: an answer that starts after the tenant's pipeline (an empty 404) starts after
            // the tenant's scope is gone, so the callback must not need the scope's services.
            var services = context.RequestServices;
            var policy = services.GetRequiredService<CachePolicyResponseWriter>();
            var tags = services.GetRequiredService<ContentTagsResponseWriter>();
            var writers = new Writers(
                await policy.PrepareAsync() ? policy : null,
                await tags.PrepareAsync() ? tags : null,
                services.GetRequiredService<IOptions<AdminOptions>>().Value.AdminUrlPrefix);

            if (writers.Policy is not null || writers.Tags is not null)
            {
                context.Response.OnStarting(static state =>
                {
                    var (writers, httpContext) = ((Writers, HttpContext))state;
                    writers.Write(httpContext);
                    return Task.CompletedTask;
                }, (writers, context));
            }
        }

        await _next(context);
    }

    private sealed record Writers(CachePolicyResponseWriter Policy, ContentTagsResponseWriter Tags, string AdminUrlPrefix)
    {
        public void Write(HttpContext context)
        {
            var verdict = SharedCacheability.Decide(context, AdminUrlPrefix);
            var lifetime = Policy?.Write(context, verdict);

            // A page the policy keeps out of shared caches (a lifetime of 0) is not tagged either.
            Tags?.Write(context, lifetime?.SharedSeconds == 0 ? SharedCacheVerdict.PageForbids : verdict);
        }
    }
}

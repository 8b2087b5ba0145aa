using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Module.Services;

/// <summary>Adds the tag header to the response just before its headers are sent, once the page has been rendered.</summary>
public sealed class ContentTagsMiddleware
{
    private readonly RequestDelegate _next;

    public ContentTagsMiddleware(RequestDelegate next)
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
            var writer = context.RequestServices.GetRequiredService<ContentTagsResponseWriter>();
            if (await writer.PrepareAsync())
            {
                context.Response.OnStarting(static state =>
                {
                    var (writer, httpContext) = ((ContentTagsResponseWriter, HttpContext))state;
                    writer.Write(httpContext);
                    return Task.CompletedTask;
                }, (writer, context));
            }
        }

        await _next(context);
    }
}

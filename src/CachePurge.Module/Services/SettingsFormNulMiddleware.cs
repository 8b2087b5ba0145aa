using System.Net.Http.Headers;
using System.Text;
using CachePurge.Module.Drivers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrchardCore.Admin;

namespace CachePurge.Module.Services;

/// <summary>
/// ASP.NET Core refuses a url-encoded form that holds a NUL character (<c>%00</c>) before any code of the site sees
/// it: the antiforgery check cannot read the form and answers a blank 400. The settings page itself posts
/// multipart/form-data, where a NUL reaches the settings checks like any other character and is refused with a
/// message naming the field. This re-encodes a url-encoded post of the settings page that holds a NUL (a script, a
/// test, an extension that fills the form) as multipart/form-data, unchanged otherwise, so that it gets that message too.
/// </summary>
public sealed class SettingsFormNulMiddleware
{
    // The form of twenty caches is a few tens of kilobytes; a larger body is left to ASP.NET Core's own limits.
    private const int MaxBodyLength = 256 * 1024;

    private readonly RequestDelegate _next;
    private readonly PathString _settingsPath;

    public SettingsFormNulMiddleware(RequestDelegate next, IOptions<AdminOptions> adminOptions)
    {
        _next = next;
        _settingsPath = $"/{adminOptions.Value.AdminUrlPrefix}/Settings/{CachePurgeSettingsDisplayDriver.GroupId}";
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method)
            && request.Path.Equals(_settingsPath, StringComparison.OrdinalIgnoreCase)
            && request.ContentLength is > 0 and <= MaxBodyLength
            && MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            && string.Equals(contentType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var body = new byte[request.ContentLength.Value];
            await request.Body.ReadExactlyAsync(body, context.RequestAborted);
            if (HasNul(body))
            {
                using var multipart = new MultipartFormDataContent();
                foreach (var (name, value) in ReadPairs(body))
                {
                    multipart.Add(new StringContent(value, Encoding.UTF8), name);
                }

                body = await multipart.ReadAsByteArrayAsync(context.RequestAborted);
                request.ContentType = multipart.Headers.ContentType!.ToString();
                request.ContentLength = body.Length;
            }

            request.Body = new MemoryStream(body, writable: false);
        }

        await _next(context);
    }

    // A raw NUL byte, or %00; '%' always starts a three-character escape, so "%2500" is not one.
    private static bool HasNul(ReadOnlySpan<byte> body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == 0 || body[i] == '%' && i + 2 < body.Length && body[i + 1] == '0' && body[i + 2] == '0')
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<(string Name, string Value)> ReadPairs(byte[] body)
    {
        foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            // A NUL in a field's name cannot go in a multipart header, and no field of the page has one.
            var name = Decode(equals < 0 ? pair : pair[..equals]).Replace("\0", "", StringComparison.Ordinal);
            yield return (name, equals < 0 ? "" : Decode(pair[(equals + 1)..]));
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

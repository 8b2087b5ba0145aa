using System.Net;
using System.Text.RegularExpressions;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>A signed-in browser for the admin pages: cookies, antiforgery tokens and form field names read from the page.</summary>
public sealed partial class AdminBrowser : IDisposable
{
    private readonly HttpClient _client;
    private readonly CookieContainer _cookies = new();

    private AdminBrowser(Uri baseUrl)
    {
        _client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = baseUrl,
        };
    }

    /// <summary>The signed-in browser's <c>Cookie</c> header, to send the same user's requests through a cache.</summary>
    public string CookieHeader => _cookies.GetCookieHeader(_client.BaseAddress!);

    public static async Task<AdminBrowser> SignInAsync(Uri baseUrl, string userName, string password)
    {
        var browser = new AdminBrowser(baseUrl);
        var page = await browser.GetStringAsync("Login");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(page),
            [FieldName(page, "UserName")] = userName,
            [FieldName(page, "Password")] = password,
        };
        using var response = await browser._client.PostAsync("Login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {userName} answered {(int)response.StatusCode}.");
        }

        return browser;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields) =>
        _client.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>
    /// Follows a link of TheAdmin's <c>data-url-af="UnsafeUrl"</c> kind the way TheAdmin's script does once the user
    /// confirmed: a POST to the link's path, its query as form fields, with the antiforgery token of the page's first form.
    /// </summary>
    public Task<HttpResponseMessage> PostLinkAsync(string page, string href)
    {
        var parts = WebUtility.HtmlDecode(href).Split('?', 2);
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(page) };
        foreach (var pair in parts.Length > 1 ? parts[1].Split('&') : [])
        {
            var nameAndValue = pair.Split('=', 2);
            fields[Uri.UnescapeDataString(nameAndValue[0])] = nameAndValue.Length > 1 ? Uri.UnescapeDataString(nameAndValue[1]) : "";
        }

        return PostAsync(parts[0], fields);
    }

    /// <summary>The antiforgery token of the page's (first) form.</summary>
    public static string Token(string page) => TokenPattern().Match(page).Groups[1].Value;

    /// <summary>The full name of the input whose name ends with <paramref name="suffix"/>, prefix included.</summary>
    public static string FieldName(string page, string suffix)
    {
        var match = Regex.Match(page, $"name=\"([^\"]*{Regex.Escape(suffix)})\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No field named *{suffix} on the page.");
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

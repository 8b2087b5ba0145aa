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

    /// <summary>Posts <paramref name="fields"/> as multipart/form-data, as a browser posts Orchard's settings form.</summary>
    public async Task<HttpResponseMessage> PostMultipartAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return await _client.PostAsync(path, content);
    }

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

    /// <summary>
    /// Opens the editor of the content item <paramref name="id"/>, lets <paramref name="change"/> change what the form
    /// would post, and publishes, as an editor's "Publish" does.
    /// </summary>
    public async Task<HttpResponseMessage> PublishInEditorAsync(string id, Action<List<KeyValuePair<string, string>>> change)
    {
        var page = await GetStringAsync($"Admin/Contents/ContentItems/{id}/Edit");
        var action = Regex.Match(page, $"action=\"([^\"]*/Admin/Contents/ContentItems/{id}/Edit[^\"]*)\"").Groups[1].Value;
        var fields = FormFields(page, action);
        change(fields);
        fields.Add(new("submit.Publish", "submit.Publish"));
        return await PostMultipartAsync(WebUtility.HtmlDecode(action), fields);
    }

    /// <summary>Sets the value of the field whose name ends with <paramref name="suffix"/>.</summary>
    public static void SetField(List<KeyValuePair<string, string>> fields, string suffix, string value)
    {
        var index = fields.FindIndex(f => f.Key.EndsWith(suffix, StringComparison.Ordinal));
        fields[index] = new(fields[index].Key, value);
    }

    /// <summary>The antiforgery token of the page's (first) form.</summary>
    public static string Token(string page) => TokenPattern().Match(page).Groups[1].Value;

    /// <summary>The full name of the input whose name ends with <paramref name="suffix"/>, prefix included.</summary>
    public static string FieldName(string page, string suffix)
    {
        var match = Regex.Match(page, $"name=\"([^\"]*{Regex.Escape(suffix)})\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No field named *{suffix} on the page.");
    }

    /// <summary>
    /// What a browser would post from the page's form whose action is <paramref name="action"/>: its inputs (checkboxes
    /// only when checked), textareas and the selected option of each select, in page order. Templates are not part of a form.
    /// </summary>
    public static List<KeyValuePair<string, string>> FormFields(string page, string action)
    {
        var start = page.IndexOf($"action=\"{action}\"", StringComparison.Ordinal);
        var form = TemplatePattern().Replace(page[start..page.IndexOf("</form>", start, StringComparison.Ordinal)], "");
        List<KeyValuePair<string, string>> fields = [];
        foreach (Match field in FieldPattern().Matches(form))
        {
            var tag = field.Groups["tag"].Value;
            var name = Attribute(tag, "name");
            if (name is null || (tag.Contains("type=\"checkbox\"", StringComparison.Ordinal) && !tag.Contains("checked", StringComparison.Ordinal)))
            {
                continue;
            }

            var value = field.Groups["textarea"].Success ? TextareaValue(field.Groups["text"].Value)
                : field.Groups["select"].Success ? Attribute(SelectedPattern().Match(field.Groups["options"].Value) is { Success: true } selected ? selected.Value : field.Groups["options"].Value, "value")
                : Attribute(tag, "value");
            fields.Add(new(name, value ?? ""));
        }

        return fields;
    }

    public void Dispose() => _client.Dispose();

    // HTML drops the line break that follows <textarea>.
    private static string TextareaValue(string html)
    {
        var text = WebUtility.HtmlDecode(html);
        return text.StartsWith("\r\n", StringComparison.Ordinal) ? text[2..] : text.StartsWith('\n') ? text[1..] : text;
    }

    private static string Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<template[^>]*>.*?</template>", RegexOptions.Singleline)]
    private static partial Regex TemplatePattern();

    [GeneratedRegex("(?<tag><input[^>]*>)|(?<textarea>(?<tag><textarea[^>]*>)(?<text>.*?)</textarea>)|(?<select>(?<tag><select[^>]*>)(?<options>.*?)</select>)", RegexOptions.Singleline)]
    private static partial Regex FieldPattern();

    [GeneratedRegex("<option[^>]*selected[^>]*>")]
    private static partial Regex SelectedPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

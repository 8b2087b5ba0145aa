using System.Net.Http.Headers;
using System.Text.Json;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// OpenId client-credentials clients of the test site, as a deploy pipeline would use them: the site is its own OpenId
/// server and validates its own tokens; one client has a role with the ManageCachePurge permission, one has none.
/// </summary>
public static class ApiClients
{
    public const string PurgingClient = "cachepurge-pipeline";
    public const string OtherClient = "cachepurge-other";
    public const string Secret = "cachepurge-test-secret";

    private static readonly SemaphoreSlim _setUp = new(1, 1);
    private static bool _done;

    /// <summary>Enables the OpenId server and validation and adds the two clients, once per test run.</summary>
    public static async Task EnsureClientsAsync(this OrchardSite site)
    {
        await _setUp.WaitAsync();
        try
        {
            if (_done)
            {
                return;
            }

            await site.EnableFeaturesAsync("OrchardCore.OpenId.Server", "OrchardCore.OpenId.Validation", "OrchardCore.Roles");
            await site.ImportAsync($$"""
            {
              "steps": [
                { "name": "OpenIdServerSettings", "EnableTokenEndpoint": true, "AllowClientCredentialsFlow": true },
                { "name": "OpenIdValidationSettings", "Tenant": "Default" },
                { "name": "Roles", "Roles": [ { "Name": "CachePurgeClient", "Description": "Deploy pipelines that purge caches.", "Permissions": [ "ManageCachePurge" ] } ] },
                { "name": "OpenIdApplication", "ClientId": "{{PurgingClient}}", "ClientSecret": "{{Secret}}", "DisplayName": "Deploy pipeline", "Type": "confidential", "ConsentType": "implicit", "AllowClientCredentialsFlow": true, "RoleEntries": [ { "Name": "CachePurgeClient" } ] },
                { "name": "OpenIdApplication", "ClientId": "{{OtherClient}}", "ClientSecret": "{{Secret}}", "DisplayName": "Other client", "Type": "confidential", "ConsentType": "implicit", "AllowClientCredentialsFlow": true }
              ]
            }
            """);
            _done = true;
        }
        finally
        {
            _setUp.Release();
        }
    }

    /// <summary>An HTTP client of the site (not through Varnish) carrying an access token of <paramref name="clientId"/>.</summary>
    public static async Task<HttpClient> CreateClientAsync(this OrchardSite site, string clientId)
    {
        var client = new HttpClient { BaseAddress = site.BaseUrl };
        using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = Secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The token endpoint answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        return client;
    }
}

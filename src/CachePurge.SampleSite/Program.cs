using CachePurge.SampleSite;

// The sample site. run.sh starts it on http://127.0.0.1:5000 behind Varnish on http://127.0.0.1:6081.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = SampleSite.ApplicationName });
builder.AddOrchardSite();

var app = builder.Build();
app.UseOrchardCore();
await app.StartAsync();

var password = app.Configuration["Sample:AdminPassword"] ?? "Password01_";
await SampleSiteSetup.SetUpIfNeededAsync(app.Services, "Cache Purge sample", password);
app.Logger.LogWarning("Sample site ready. Front end through Varnish: http://127.0.0.1:6081/  Admin (direct): {Urls}/admin as admin / {Password}", string.Join(", ", app.Urls), password);

await app.WaitForShutdownAsync();

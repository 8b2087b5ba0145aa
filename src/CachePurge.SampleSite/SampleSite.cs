using Microsoft.AspNetCore.Builder;
using OrchardCore.ResourceManagement.TagHelpers;

namespace CachePurge.SampleSite;

/// <summary>
/// The Orchard Core application the sample and the module's integration tests run: what
/// <c>AddOrchardCms()</c> composes, without the all-in-one package that needs Media and the cloud modules.
/// </summary>
public static class SampleSite
{
    /// <summary>Orchard reads the list of modules from the application's assembly: this one.</summary>
    public static string ApplicationName => typeof(SampleSite).Assembly.GetName().Name;

    public static WebApplicationBuilder AddOrchardSite(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddOrchardCore()
            .AddCommands()
            .AddSecurity()
            .AddMvc()
            .AddIdGeneration()
            .AddEmailAddressValidator()
            .AddPhoneFormatValidator()
            .AddHtmlSanitizer()
            .AddSetupFeatures("OrchardCore.Setup")
            .AddDataAccess()
            .AddDataStorage()
            .AddBackgroundService()
            .AddScripting()
            .AddTheming()
            .AddGlobalFeatures("OrchardCore.Liquid.Core")
            .AddCaching()
            .ConfigureServices(services =>
            {
                services.AddResourceManagement();
                services.AddTagHelpers<LinkTagHelper>();
                services.AddTagHelpers<MetaTagHelper>();
                services.AddTagHelpers<ResourcesTagHelper>();
                services.AddTagHelpers<ScriptTagHelper>();
                services.AddTagHelpers<StyleTagHelper>();
            });

        return builder;
    }
}

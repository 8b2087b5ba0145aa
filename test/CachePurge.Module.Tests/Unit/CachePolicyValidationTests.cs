using CachePurge.Module.Drivers;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The cache policy's validation names the field and the reason; the form maps each back to its row.</summary>
public sealed class CachePolicyValidationTests
{
    private static readonly CachePolicySettingsValidator _validator = new(new PassThroughLocalizer<CachePolicySettingsValidator>());

    [Fact]
    public void The_sample_recipes_policy_is_valid() =>
        Assert.Empty(_validator.Validate(new CachePolicySettings { Enabled = true, HomePageSeconds = 300, ContentTypes = [new() { ContentType = "Page", Seconds = 86400 }] }));

    [Theory]
    [InlineData("DefaultSeconds", "-1 is not a lifetime: use 0 to 31,536,000 seconds (one year).")]
    [InlineData("HomePageSeconds", "31536001 is not a lifetime: use 0 to 31,536,000 seconds (one year).")]
    [InlineData("ContentTypes[0].ContentType", "enter the technical name of a content type, e.g. Article.")]
    [InlineData("ContentTypes[1].ContentType", "'Blog Post' is not a content type's technical name (letters, digits and _).")]
    [InlineData("ContentTypes[3].ContentType", "'article' has a rule already.")]
    [InlineData("ContentTypes[2].Seconds", "-5 is not a lifetime: use 0 to 31,536,000 seconds (one year).")]
    [InlineData("Paths[0].Match", "enter a path prefix such as /feeds, or a pattern such as ^/tags/[^/]+$.")]
    [InlineData("Paths[1].Match", "'feeds' is neither a path prefix (it starts with /) nor a pattern (it starts with ^).")]
    [InlineData("Paths[3].Match", "'/FEEDS' has a rule already.")]
    public void Each_problem_names_its_field(string field, string message)
    {
        var settings = new CachePolicySettings
        {
            DefaultSeconds = -1,
            HomePageSeconds = 31_536_001,
            ContentTypes =
            [
                new() { ContentType = " ", Seconds = 60 },
                new() { ContentType = "Blog Post", Seconds = 60 },
                new() { ContentType = "Article", Seconds = -5 },
                new() { ContentType = "article", Seconds = 60 },
            ],
            Paths =
            [
                new() { Match = "", Seconds = 60 },
                new() { Match = "feeds", Seconds = 60 },
                new() { Match = "/feeds", Seconds = 60 },
                new() { Match = "/FEEDS", Seconds = 60 },
                new() { Match = "^/tags/(", Seconds = 60 },
            ],
        };

        var errors = _validator.Validate(settings);

        Assert.Contains(errors, e => e.Field == field && e.Message == message);
        Assert.Contains(errors, e => e.Field == "Paths[4].Match" && e.Message.StartsWith("'^/tags/(' is not a valid regular expression: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_form_drops_types_without_a_lifetime_and_empty_path_rows_and_names_form_rows()
    {
        var model = new CachePolicySettingsViewModel
        {
            ContentTypes = [new() { ContentType = "Article" }, new() { ContentType = "Page", Seconds = 86400 }],
            Paths = [new(), new() { Match = "/feeds" }, new() { Match = "^/tags/(", Seconds = 5 }],
        };

        var (settings, typeRows, pathRows, errors) = CachePolicySettingsDisplayDriver.FromViewModel(model, new PassThroughLocalizer<CachePolicySettingsDisplayDriver>());
        var error = Assert.Single(errors);

        Assert.Equal(["Page"], settings.ContentTypes.Select(r => r.ContentType));
        Assert.Equal(["/feeds", "^/tags/("], settings.Paths.Select(r => r.Match));
        Assert.Equal(("Paths[0].Seconds", "enter a lifetime in seconds."), error);
        Assert.Equal("Paths[1].Seconds", CachePolicySettingsDisplayDriver.ToFormField(error.Field, typeRows, pathRows));
        Assert.Equal("Paths[2].Match", CachePolicySettingsDisplayDriver.ToFormField("Paths[1].Match", typeRows, pathRows));
        Assert.Equal("ContentTypes[1].ContentType", CachePolicySettingsDisplayDriver.ToFormField("ContentTypes[0].ContentType", typeRows, pathRows));
    }
}

using Microsoft.Extensions.Localization;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>A localizer that formats the English text, as a site without translations does.</summary>
public sealed class PassThroughLocalizer<T> : IStringLocalizer<T>
{
    public LocalizedString this[string name] => new(name, name);

    public LocalizedString this[string name, params object[] arguments] => new(name, string.Format(name, arguments));

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
}

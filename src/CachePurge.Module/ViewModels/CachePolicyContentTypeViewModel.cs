using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CachePurge.Module.ViewModels;

public class CachePolicyContentTypeViewModel
{
    public string ContentType { get; set; }

    /// <summary>Empty: the type has no rule of its own.</summary>
    public int? Seconds { get; set; }

    [BindNever]
    public string DisplayName { get; set; }

    /// <summary>False for a stored rule whose type the site no longer has.</summary>
    [BindNever]
    public bool Exists { get; set; }
}

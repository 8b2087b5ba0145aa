using CachePurge.Module.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CachePurge.Module.Controllers;

/// <summary>
/// Purging for deploy pipelines and other clients, authenticated as Orchard's own APIs are (an OpenId access token,
/// e.g. from client credentials) and authorized by <see cref="Permissions.ManageCachePurge"/>.
/// </summary>
[Route("api/cachepurge")]
[ApiController]
[Authorize(AuthenticationSchemes = "Api"), IgnoreAntiforgeryToken, AllowAnonymous]
public sealed class CachePurgeApiController : ControllerBase
{
    private readonly IAuthorizationService _authorizationService;
    private readonly CachePurgeOperations _operations;

    internal readonly IStringLocalizer S;

    public CachePurgeApiController(IAuthorizationService authorizationService, CachePurgeOperations operations, IStringLocalizer<CachePurgeApiController> stringLocalizer)
    {
        _authorizationService = authorizationService;
        _operations = operations;
        S = stringLocalizer;
    }

    /// <summary>
    /// Journals the purge of <c>urls</c> and <c>tags</c>, or of <c>everything</c>, on every cache or on <c>cache</c>:
    /// 202 with what was journaled, 400 naming each refused field, 409 when purging is off.
    /// </summary>
    [HttpPost("purge")]
    public async Task<IActionResult> Purge(PurgeRequest request)
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return this.ChallengeOrForbid("Api");
        }

        var result = await _operations.PurgeAsync(request, "api");
        if (!result.IsActive)
        {
            return Problem(S["Purging is off, or no cache is configured."], statusCode: StatusCodes.Status409Conflict);
        }

        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Field, error.Message);
            }

            return ValidationProblem(ModelState);
        }

        return Accepted(new
        {
            journaled = result.Targets,
            everything = result.Everything.ToDictionary(m => m.Key, m => m.Value.ToString()),
        });
    }

    /// <summary>The caches with their waiting purges, the dead letters and the journal.</summary>
    [HttpGet("status")]
    public async Task<IActionResult> Status()
    {
        if (!await _authorizationService.AuthorizeAsync(User, Permissions.ManageCachePurge))
        {
            return this.ChallengeOrForbid("Api");
        }

        return Ok(await _operations.GetStatusAsync());
    }
}

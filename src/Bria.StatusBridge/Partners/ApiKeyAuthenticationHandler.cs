using System.Security.Claims;
using System.Text.Encodings.Web;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bria.StatusBridge.Partners;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Api-Key: &lt;key&gt;</c>): the operator key
/// becomes the admin role, a partner key a <c>partner_id</c> claim. Keys are never logged; refusals answer
/// ProblemDetails that say what to send instead.</summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IPartnerStore store,
    IOptionsMonitor<AdminOptions> admin,
    TimeProvider time,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length == 0)
        {
            return Fail("The API key is empty: send 'Authorization: Bearer <key>' with the key you were issued.");
        }

        var adminKey = admin.CurrentValue.ApiKey;
        if (!string.IsNullOrEmpty(adminKey) && ApiKeys.FixedTimeEquals(key, adminKey))
        {
            return Success([new Claim(ClaimTypes.Role, PartnerAuthentication.AdminRole), new Claim(ClaimTypes.Name, "operator")]);
        }

        // A key that is not a partner key, on the admin API: a wrong operator key, and it is never looked up.
        if (Request.Path.StartsWithSegments(PartnerAuthentication.AdminPath) && !key.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            return Fail(string.IsNullOrEmpty(adminKey)
                ? "The admin API is off: the operator turns it on by setting Admin__ApiKey (at least 24 characters) and restarting the bridge."
                : "The operator key is not valid: send the value of Admin__ApiKey exactly, as 'Authorization: Bearer <key>'.");
        }

        // A lookup by hash: the stored hash is an index key, so no comparison of secrets happens here.
        var match = await store.FindApiKeyAsync(ApiKeys.Hash(key), Context.RequestAborted);
        if (match is null)
        {
            return Fail(key.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal)
                ? "The API key is not valid: check that it was copied whole, or ask the operator for a new one."
                : "The API key is not valid: partner API keys start with 'sbk_'; check that it was copied whole, or ask the operator for one.");
        }

        if (match.RevokedAt is { } revokedAt)
        {
            return Fail($"The API key was revoked at {revokedAt:O}: use another key of this partner or ask the operator for a new one.");
        }

        if (match.PartnerDisabledAt is not null)
        {
            return Fail("The partner of this API key is disabled: contact the operator.");
        }

        var now = time.GetUtcNow();
        var staleBefore = now - admin.CurrentValue.LastUsedResolution;
        if (match.LastUsedAt is null || match.LastUsedAt < staleBefore)
        {
            await store.TouchApiKeyAsync(match.KeyId, now, staleBefore, Context.RequestAborted);
        }

        return Success([
            new Claim(PartnerAuthentication.PartnerIdClaim, match.PartnerId),
            new Claim(PartnerAuthentication.KeyIdClaim, match.KeyId),
            new Claim(ClaimTypes.Name, match.PartnerId),
        ]);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items[PartnerAuthentication.FailureItem] as string
            ?? "This call needs an API key: send 'Authorization: Bearer <key>' (or 'X-Api-Key: <key>').";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var isAdmin = Context.User.IsInRole(PartnerAuthentication.AdminRole);
        var detail = isAdmin
            ? "The operator key only opens /v1/admin: call the partner API with one of the partner's API keys."
            : "A partner API key cannot call /v1/admin: use the operator key (Admin__ApiKey).";
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed with this key", detail);
    }

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderNames.Authorization, out var authorization) && authorization.Count > 0)
        {
            var value = authorization.ToString();
            return value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? value[BearerPrefix.Length..].Trim() : null;
        }

        return request.Headers.TryGetValue(PartnerAuthentication.ApiKeyHeader, out var header) ? header.ToString().Trim() : null;
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[PartnerAuthentication.FailureItem] = reason;
        LogRefused(Logger, Request.Path.Value ?? "");
        return AuthenticateResult.Fail(reason);
    }

    private AuthenticateResult Success(IEnumerable<Claim> claims)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an API key on {Path}")]
    private static partial void LogRefused(ILogger logger, string path);
}

using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Portal;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Api;

/// <summary>The operator's route that hands a partner the portal: a short-lived, one-time link.</summary>
internal static class PortalLinksApi
{
    public static RouteGroupBuilder MapPortalLinksApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/v1/admin")
            .RequireAuthorization(PartnerAuthentication.AdminPolicy)
            .WithTags("Admin");
        admin.MapPost("/partners/{partner_id}/portal-links", IssueAsync).WithName("IssuePortalLink")
            .WithSummary("Issue a portal link")
            .WithDescription("A link to the partner portal for this partner only. It works once, within Portal:LinkLifetime (15 minutes by default), and starts a session of Portal:SessionLifetime. Only its hash is stored.");
        return admin;
    }

    private static async Task<Results<Created<PortalLinkResponse>, ProblemHttpResult>> IssueAsync(
        string partner_id, HttpRequest request, PortalLinks links, IOptions<PortalOptions> options, CancellationToken cancellationToken)
    {
        var issued = await links.IssueAsync(partner_id, cancellationToken);
        if (issued is not var (token, expiresAt))
        {
            return ApiProblems.NotFound("Partner", partner_id, "List partners with GET /v1/admin/partners.");
        }

        var publicUrl = options.Value.PublicUrl;
        var baseUrl = new Uri(string.IsNullOrEmpty(publicUrl) ? $"{request.Scheme}://{request.Host}{request.PathBase}/" : publicUrl.TrimEnd('/') + "/");
        return TypedResults.Created((string?)null, new PortalLinkResponse(partner_id, PortalLinks.LinkUrl(baseUrl, token), expiresAt));
    }
}

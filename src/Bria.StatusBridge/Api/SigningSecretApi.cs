using System.Security.Claims;
using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bria.StatusBridge.Api;

/// <summary>The partner's own signing secret: it signs deliveries to the per-request <c>webhook_url</c> of the
/// partner's tracked requests (registered endpoints have their own secrets).</summary>
internal static class SigningSecretApi
{
    public static RouteGroupBuilder MapSigningSecretApi(this IEndpointRouteBuilder routes)
    {
        var secret = routes.MapGroup("/v1/signing-secret")
            .RequireAuthorization(PartnerAuthentication.PartnerPolicy)
            .WithTags("Signing secret");

        secret.MapGet("", GetAsync).WithName("GetSigningSecret").WithSummary("Get your signing secret")
            .WithDescription("The secret (whsec_...) that signs deliveries to the webhook_url of your tracked requests; verify them with it "
                + "like any Standard Webhooks message. It is created on first use. Registered endpoints have their own secrets (GET /v1/webhook-endpoints/{endpoint_id}/secret).");
        secret.MapPost("/rotate", RotateAsync).WithName("RotateSigningSecret").WithSummary("Rotate your signing secret")
            .WithDescription("Messages to webhook_url are signed with the new and the previous secret for 24 hours (Webhooks:SecretRotationOverlap).");
        return secret;
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, IPartnerStore partners, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = await partners.GetSigningSecretsAsync(user.PartnerId(), cancellationToken);
        return current is null ? PartnerGone() : TypedResults.Ok(ToResponse(current, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RotateAsync(
        ClaimsPrincipal user, IPartnerStore partners, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rotated = await partners.RotateSigningSecretAsync(user.PartnerId(), null, now, cancellationToken);
        return rotated is null ? PartnerGone() : TypedResults.Ok(ToResponse(rotated, now));
    }

    internal static SecretResponse ToResponse(Webhooks.SigningSecrets secrets, DateTimeOffset now) =>
        new(secrets.Current, secrets.ActiveAt(now).Count > 1 ? secrets.PreviousExpiresAt : null);

    // The key authenticated a moment ago, so only a partner deleted in between gets here.
    private static ProblemHttpResult PartnerGone() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Partner not found",
            detail: "The partner of this API key no longer exists: ask the operator whether your account was removed.");
}

using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bria.StatusBridge.Api;

/// <summary>The operator's API: partners and their API keys. Needs the operator key (<c>Admin:ApiKey</c>).</summary>
internal static class AdminApi
{
    private const int MaxNameLength = 200;
    private const string PartnerHint = "List partners with GET /v1/admin/partners.";

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/v1/admin")
            .RequireAuthorization(PartnerAuthentication.AdminPolicy)
            .WithTags("Admin");

        admin.MapPost("/partners", CreatePartnerAsync).WithName("CreatePartner").WithSummary("Create a partner");
        admin.MapGet("/partners", ListPartnersAsync).WithName("ListPartners").WithSummary("List partners");
        admin.MapGet("/partners/{partner_id}", GetPartnerAsync).WithName("GetPartner").WithSummary("Get a partner");
        admin.MapPost("/partners/{partner_id}/keys", IssueKeyAsync).WithName("IssueApiKey")
            .WithSummary("Issue an API key").WithDescription("The key is in this answer only: it is stored as a SHA-256 hash.");
        admin.MapGet("/partners/{partner_id}/keys", ListKeysAsync).WithName("ListApiKeys").WithSummary("List a partner's API keys");
        admin.MapPost("/partners/{partner_id}/keys/{key_id}/revoke", RevokeKeyAsync).WithName("RevokeApiKey")
            .WithSummary("Revoke an API key").WithDescription("Calls with the key answer 401 from now on. Revoking twice keeps the first time.");
        return admin;
    }

    private static async Task<Results<Created<PartnerResponse>, ValidationProblem>> CreatePartnerAsync(
        CreatePartnerBody body, IPartnerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["name"] = [$"Give the partner a name of 1 to {MaxNameLength} characters, e.g. {{\"name\": \"Acme\"}}."],
            });
        }

        var partner = await store.CreatePartnerAsync(name, time.GetUtcNow(), cancellationToken);
        return TypedResults.Created($"/v1/admin/partners/{partner.PartnerId}", ToResponse(partner));
    }

    private static async Task<Ok<ListResponse<PartnerResponse>>> ListPartnersAsync(IPartnerStore store, CancellationToken cancellationToken)
    {
        var partners = await store.ListPartnersAsync(cancellationToken);
        return TypedResults.Ok(new ListResponse<PartnerResponse>([.. partners.Select(ToResponse)]));
    }

    private static async Task<Results<Ok<PartnerResponse>, ProblemHttpResult>> GetPartnerAsync(
        string partner_id, IPartnerStore store, CancellationToken cancellationToken)
    {
        var partner = await store.GetPartnerAsync(partner_id, cancellationToken);
        return partner is null ? ApiProblems.NotFound("Partner", partner_id, PartnerHint) : TypedResults.Ok(ToResponse(partner));
    }

    private static async Task<Results<Created<IssuedApiKeyResponse>, ProblemHttpResult, ValidationProblem>> IssueKeyAsync(
        string partner_id, CreateApiKeyBody? body, IPartnerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = body?.Name?.Trim();
        if (name is { Length: > MaxNameLength })
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["name"] = [$"The key's name is {name.Length} characters long: use at most {MaxNameLength}."],
            });
        }

        if (await store.GetPartnerAsync(partner_id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("Partner", partner_id, PartnerHint);
        }

        var key = ApiKeys.Generate();
        var record = await store.AddApiKeyAsync(partner_id, ApiKeys.Hash(key), ApiKeys.VisiblePrefix(key), string.IsNullOrEmpty(name) ? null : name, time.GetUtcNow(), cancellationToken);
        return TypedResults.Created(
            $"/v1/admin/partners/{partner_id}/keys",
            new IssuedApiKeyResponse(record.KeyId, record.PartnerId, key, record.Prefix, record.Name, record.CreatedAt));
    }

    private static async Task<Results<Ok<ListResponse<ApiKeyResponse>>, ProblemHttpResult>> ListKeysAsync(
        string partner_id, IPartnerStore store, CancellationToken cancellationToken)
    {
        if (await store.GetPartnerAsync(partner_id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("Partner", partner_id, PartnerHint);
        }

        var keys = await store.ListApiKeysAsync(partner_id, cancellationToken);
        return TypedResults.Ok(new ListResponse<ApiKeyResponse>([.. keys.Select(ToResponse)]));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeKeyAsync(
        string partner_id, string key_id, IPartnerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await store.RevokeApiKeyAsync(partner_id, key_id, time.GetUtcNow(), cancellationToken);
        return key is null
            ? ApiProblems.NotFound("API key", key_id, $"List the partner's keys with GET /v1/admin/partners/{partner_id}/keys.")
            : TypedResults.Ok(ToResponse(key));
    }

    private static PartnerResponse ToResponse(PartnerRecord partner) => new(partner.PartnerId, partner.Name, partner.CreatedAt, partner.DisabledAt);

    private static ApiKeyResponse ToResponse(ApiKeyRecord key) => new(key.KeyId, key.PartnerId, key.Prefix, key.Name, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}

using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Partners;

/// <summary>The outcome of a partner's action: its value when done, otherwise what stopped it.</summary>
internal sealed record PartnerActionResult<T>(
    PartnerActionStatus Status,
    T? Value = default,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    UrlCheckResult? Refusal = null,
    EndpointRecord? Endpoint = null)
{
    public static PartnerActionResult<T> Done(T value) => new(PartnerActionStatus.Done, value);

    public static PartnerActionResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(PartnerActionStatus.Invalid, Errors: errors);

    public static PartnerActionResult<T> Refused(UrlCheckResult refusal) => new(PartnerActionStatus.Refused, Refusal: refusal);

    public static PartnerActionResult<T> NotFound() => new(PartnerActionStatus.NotFound);

    public static PartnerActionResult<T> Disabled(EndpointRecord endpoint) => new(PartnerActionStatus.Disabled, Endpoint: endpoint);
}

namespace Bria.StatusBridge.Partners;

/// <summary>How a partner's action on its endpoints or deliveries ended; the API and the portal each turn it into their answer.</summary>
internal enum PartnerActionStatus
{
    /// <summary>Done.</summary>
    Done = 0,

    /// <summary>The input is invalid: <see cref="PartnerActionResult{T}.Errors"/> says per field what to fix.</summary>
    Invalid = 1,

    /// <summary>The URL policy refused the webhook URL: <see cref="PartnerActionResult{T}.Refusal"/> names the rule.</summary>
    Refused = 2,

    /// <summary>No such endpoint or delivery of this partner (another partner's ids included).</summary>
    NotFound = 3,

    /// <summary>The endpoint is disabled: <see cref="PartnerActionResult{T}.Endpoint"/> is it.</summary>
    Disabled = 4,
}

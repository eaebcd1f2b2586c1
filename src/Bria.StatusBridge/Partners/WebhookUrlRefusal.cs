namespace Bria.StatusBridge.Partners;

/// <summary>Why a webhook URL was refused: the rule's name and a sentence that says what to change.</summary>
internal sealed record WebhookUrlRefusal(string Rule, string Detail);

namespace Bria.StatusBridge.Partners;

/// <summary>The registration-time URL rules (section <c>Webhooks</c>, shared with the delivery engine).</summary>
public sealed class WebhookUrlOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>Subnets admitted although a rule refuses them, e.g. <c>127.0.0.1/32</c> in tests or an internal range.</summary>
    public IList<string> AllowedSubnets { get; } = [];

    /// <summary>Refuse <c>http</c> URLs. Null: on, except in the Development and Testing environments.</summary>
    public bool? RequireHttps { get; set; }
}

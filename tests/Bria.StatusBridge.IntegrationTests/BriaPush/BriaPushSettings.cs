namespace Bria.StatusBridge.IntegrationTests.BriaPush;

/// <summary>The push tests' bridge settings: short safety schedules (a lost image push is polled after 5 s; videos
/// after a minute, so a poll within seconds can only come from a hint), a previous token still accepted, and room
/// for five early webhooks.</summary>
internal static class BriaPushSettings
{
    public const string PreviousToken = "rotated-out-token-0123456789";
    public const int EarlyLimit = 5;
    public static readonly TimeSpan ImageSafetyDelay = TimeSpan.FromSeconds(5);

    public static void Apply(IDictionary<string, string?> settings)
    {
        settings["Polling:PushSafety:Image:FirstDelay"] = "00:00:05";
        settings["Polling:PushSafety:Image:Interval"] = "00:00:01";
        settings["Polling:PushSafety:Image:Ceiling"] = "00:00:02";
        settings["Polling:PushSafety:Video:FirstDelay"] = "00:01:00";
        settings["Bria:PreviousApiTokens:0"] = PreviousToken;
        settings["Bria:EarlyWebhookLimit"] = "5";
    }
}

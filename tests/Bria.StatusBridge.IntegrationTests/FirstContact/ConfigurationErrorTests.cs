using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.FirstContact;

/// <summary>Bad settings stop the service with one line per bad key and an exit code, never a stack trace.</summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task Every_bad_setting_is_named_with_what_is_wrong_and_the_process_exits_78_without_a_stack_trace()
    {
        await using var bridge = CommandProcess.Start(
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string?>
            {
                ["Admin__ApiKey"] = "too-short",
                ["Polling__RequestsPerMinute"] = "0",
                ["Tracking__MaxMetadataEntries"] = "-1",
                ["Persistence__Provider"] = "Oracle",
                ["Bus__Transport"] = "RabbitMq",
                ["ConnectionStrings__RabbitMq"] = "",
                ["Bria__ApiToken"] = "",
                ["Webhooks__Timeout"] = "soon",
            });

        var exitCode = await bridge.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var errors = string.Join('\n', bridge.Errors);

        Assert.True(exitCode == 78, $"exit code {exitCode}\n{bridge.Transcript()}");
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(bridge.Errors.Concat(bridge.Output), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Contains("The bridge cannot start: 7 settings are wrong", errors, StringComparison.Ordinal);
        foreach (var (key, what) in new[]
        {
            ("Admin__ApiKey", "at least 24 characters"),
            ("Polling__RequestsPerMinute", "between 2 and"),
            ("Tracking__MaxMetadataEntries", "between 0 and 1000"),
            ("Persistence__Provider", "'Oracle' is not valid: use Sqlite or Postgres"),
            ("ConnectionStrings__RabbitMq", "amqp://"),
            ("Bria__ApiToken", "is required"),
            ("Webhooks__Timeout", "'soon' is not valid: give a duration"),
        })
        {
            Assert.True(
                bridge.Errors.Any(line => line.TrimStart().StartsWith(key + ": ", StringComparison.Ordinal) && line.Contains(what, StringComparison.Ordinal)),
                $"{key} is not reported with '{what}':\n{errors}");
        }
    }
}

using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.Tests.Tracking;

public sealed class TrackRequestValidatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private TrackRequestValidator Validator() => new(
        MsOptions.Create(new TrackingOptions { MaxMetadataEntries = 3, MaxMetadataBytes = 100 }),
        MsOptions.Create(new BriaOptions { BaseUrl = new Uri("https://engine.prod.bria-api.com"), ApiToken = "t" }),
        _time);

    // The bus names the command's properties as they are; these assertions read the problems the way it does.
    private List<string> Problems(TrackRequest command) => [.. Validator().Validate(command).Select(p => p.Describe(field => field))];

    [Fact]
    public void A_complete_command_has_no_problems()
    {
        var command = new TrackRequest
        {
            RequestId = "7f3c0a9e",
            StatusUrl = new Uri("https://engine.prod.bria-api.com/v2/status/7f3c0a9e"),
            Deadline = _time.GetUtcNow().AddMinutes(5),
            WebhookUrl = new Uri("https://hooks.example/x"),
            Metadata = new Dictionary<string, string> { ["a"] = "b" },
        };

        Assert.Empty(Problems(command));
    }

    [Fact]
    public void Missing_request_id_is_reported()
    {
        var problems = Problems(new TrackRequest());

        Assert.Contains(problems, p => p.StartsWith("RequestId is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://engine.prod.bria-api.com/v2/status/other-id")]
    [InlineData("https://evil.example/v2/status/7f3c0a9e")]
    [InlineData("https://engine.prod.bria-api.com/v1/status/7f3c0a9e")]
    [InlineData("https://engine.prod.bria-api.com/v2/status/7f3c0a9e?x=1")]
    public void A_status_url_that_is_not_Brias_for_this_id_is_reported(string statusUrl)
    {
        var problems = Problems(new TrackRequest { RequestId = "7f3c0a9e", StatusUrl = new Uri(statusUrl) });

        var problem = Assert.Single(problems);
        Assert.Contains("expected https://engine.prod.bria-api.com/v2/status/7f3c0a9e", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_past_deadline_is_reported()
    {
        var problems = Problems(new TrackRequest { RequestId = "r", Deadline = _time.GetUtcNow().AddSeconds(-1) });

        Assert.Contains(problems, p => p.Contains("is in the past", StringComparison.Ordinal));
    }

    [Fact]
    public void Oversized_metadata_is_reported_with_its_size()
    {
        var metadata = Enumerable.Range(0, 4).ToDictionary(i => $"k{i}", _ => new string('x', 40));

        var problems = Problems(new TrackRequest { RequestId = "r", Metadata = metadata });

        Assert.Contains(problems, p => p.Contains("Metadata has 4 entries: at most 3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("at most 100 bytes", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Request_ids_that_cannot_be_Brias_are_reported(string id)
    {
        var problems = Problems(new TrackRequest { RequestId = id });

        Assert.Contains(problems, p => p.Contains("is not a Bria request id", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_names_the_property_it_is_about()
    {
        var command = new TrackRequest
        {
            RequestId = "r",
            StatusUrl = new Uri("https://elsewhere.example/v2/status/r"),
            WebhookUrl = new Uri("ftp://hooks.example/x"),
            CorrelationId = new string('c', 201),
            PartnerId = new string('p', 201),
            EndpointKind = (EndpointKind)42,
            Deadline = _time.GetUtcNow().AddYears(1),
            Metadata = Enumerable.Range(0, 4).ToDictionary(i => $"k{i}", _ => "v"),
        };

        var fields = Validator().Validate(command).Select(p => p.Field).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [nameof(TrackRequest.CorrelationId), nameof(TrackRequest.Deadline), nameof(TrackRequest.EndpointKind), nameof(TrackRequest.Metadata),
             nameof(TrackRequest.PartnerId), nameof(TrackRequest.StatusUrl), nameof(TrackRequest.WebhookUrl)],
            fields);
    }

    [Fact]
    public void Each_entry_point_names_the_field_its_own_way()
    {
        var problem = Assert.Single(Validator().Validate(new TrackRequest { RequestId = "r", Deadline = _time.GetUtcNow().AddSeconds(-1) }));

        Assert.StartsWith("Deadline 2026-11-29T11:59:59.000Z is in the past", problem.Describe(field => field), StringComparison.Ordinal);
        Assert.StartsWith("deadline 2026-11-29T11:59:59.000Z is in the past", problem.Describe(field => field.ToLowerInvariant()), StringComparison.Ordinal);
    }
}

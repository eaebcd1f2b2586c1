using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Tests.BriaPush;

/// <summary>A webhook body means what the same body means as a poll answer.</summary>
public sealed class PushDecisionTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Completed_ends_the_request_with_its_result_finished_when_received()
    {
        var decision = PushDecision.Read("""{"request_id":"r-1","status":"COMPLETED","result":{"image_url":"https://temp.example/r.png","seed":"42","mask_url":"m"}}""", At);

        Assert.Equal("r-1", decision.RequestId);
        Assert.True(decision.Terminal);
        Assert.Null(decision.Outcome!.Reason);
        Assert.Equal(new Uri("https://temp.example/r.png"), decision.Outcome.Result!.ImageUrl);
        Assert.Equal(42L, decision.Outcome.Result.Seed);
        Assert.True(decision.Outcome.Result.Extra!.ContainsKey("mask_url"));
        Assert.Equal(At, decision.Outcome.FinishedAt);
    }

    [Theory]
    [InlineData("\"VALIDATION_ERROR\"", "VALIDATION_ERROR")]
    [InlineData("422", "422")]
    public void Error_ends_the_request_as_failed_with_a_string_or_integer_code(string code, string expected)
    {
        var decision = PushDecision.Read($$$"""{"request_id":"r-2","status":"ERROR","error":{"code":{{{code}}},"message":"Unprocessable","details":"bad input"}}""", At);

        Assert.Equal(FailureReason.Error, decision.Outcome!.Reason);
        Assert.Equal(expected, decision.Outcome.Error!.Code);
        Assert.Equal("bad input", decision.Outcome.Error.Details);
    }

    [Theory]
    [InlineData("""{"request_id":"r-3","status":"IN_PROGRESS"}""")]
    [InlineData("""{"request_id":"r-3","status":"UNKNOWN","error":{"code":500}}""")]
    public void In_progress_and_unknown_are_hints_to_poll(string body)
    {
        var decision = PushDecision.Read(body, At);

        Assert.True(decision.Readable);
        Assert.False(decision.Terminal);
        Assert.Equal("r-3", decision.RequestId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"request_id":"r-4"}""")]
    [InlineData("""{"request_id":"r-4","status":"DONE"}""")]
    public void A_body_that_is_no_status_is_unreadable(string body) => Assert.False(PushDecision.Read(body, At).Readable);

    [Fact]
    public void A_body_without_a_string_request_id_has_none() =>
        Assert.Null(PushDecision.Read("""{"request_id":17,"status":"COMPLETED","result":{}}""", At).RequestId);
}

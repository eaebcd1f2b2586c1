using System.Net;
using System.Text.Json;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class StatusBodyTests
{
    [Fact]
    public async Task In_progress_answers_200_with_neither_result_nor_error()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"p1","duration_ms":5000,"outcome":"completed"}""");

        var answer = await client.GetStatusAsync("p1");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("""{"request_id":"p1","status":"IN_PROGRESS"}""", answer.Body);
    }

    [Fact]
    public async Task Completed_image_carries_image_url_seed_as_string_and_prompts()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"i1","endpoint_kind":"image","duration_ms":0,"outcome":"completed","seed":90210,"seed_as_string":true,"prompt":"red bicycle"}""");

        var answer = await client.GetStatusAsync("i1");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            """{"request_id":"i1","status":"COMPLETED","result":{"image_url":"https://temp.example/i1.png","seed":"90210","prompt":"red bicycle","refined_prompt":"red bicycle, refined"}}""",
            answer.Body);
    }

    [Fact]
    public async Task Completed_video_carries_only_video_url()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"v1","endpoint_kind":"video","duration_ms":0,"outcome":"completed"}""");

        var answer = await client.GetStatusAsync("v1");

        Assert.Equal("""{"request_id":"v1","status":"COMPLETED","result":{"video_url":"https://temp.example/v1.mp4"}}""", answer.Body);
    }

    [Fact]
    public async Task Completed_structured_prompt_carries_a_json_string_and_an_integer_seed_but_no_image()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"s1","endpoint_kind":"structured_prompt","duration_ms":0,"outcome":"completed","seed":42,"seed_as_string":false,"prompt":"a bicycle"}""");

        var result = (await client.GetStatusAsync("s1")).Json.GetProperty("result");

        Assert.Equal(JsonValueKind.Number, result.GetProperty("seed").ValueKind);
        Assert.Equal(42, result.GetProperty("seed").GetInt64());
        Assert.Equal(JsonValueKind.String, result.GetProperty("structured_prompt").ValueKind);
        using var inner = JsonDocument.Parse(result.GetProperty("structured_prompt").GetString()!);
        Assert.Equal("a bicycle", inner.RootElement.GetProperty("short_description").GetString());
        Assert.False(result.TryGetProperty("image_url", out _));
        Assert.False(result.TryGetProperty("video_url", out _));
    }

    [Fact]
    public async Task Extra_fields_go_into_the_result_and_top_level_fields_beside_it()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"x1","duration_ms":0,"outcome":"completed","extra_fields":{"mask_url":"https://temp.example/m.png","structured_instruction":"{}"},"top_level_fields":{"warning":"deprecated endpoint"}}""");

        var body = (await client.GetStatusAsync("x1")).Json;

        Assert.Equal("https://temp.example/m.png", body.GetProperty("result").GetProperty("mask_url").GetString());
        Assert.Equal("{}", body.GetProperty("result").GetProperty("structured_instruction").GetString());
        Assert.Equal("deprecated endpoint", body.GetProperty("warning").GetString());
    }

    [Fact]
    public async Task Error_answers_200_with_the_default_error_object()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"e1","duration_ms":0,"outcome":"error"}""");

        var answer = await client.GetStatusAsync("e1");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            """{"request_id":"e1","status":"ERROR","error":{"code":422,"message":"Unprocessable Entity","details":"input image could not be decoded"}}""",
            answer.Body);
    }

    [Fact]
    public async Task Error_object_can_be_scripted_with_a_string_code()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"e2","duration_ms":0,"outcome":"error","error":{"code":"VALIDATION_ERROR","message":"Bad input","details":"prompt too long"}}""");

        var error = (await client.GetStatusAsync("e2")).Json.GetProperty("error");

        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Equal("prompt too long", error.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Transient_unknown_answers_unknown_for_the_scripted_reads_then_completed()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"u1","duration_ms":0,"outcome":"unknown_then_completed","unknown_reads":2}""");

        var reads = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            reads.Add((await client.GetStatusAsync("u1")).Json.GetProperty("status").GetString()!);
        }

        Assert.Equal(["UNKNOWN", "UNKNOWN", "COMPLETED", "COMPLETED"], reads);
    }

    [Fact]
    public async Task Final_unknown_answers_unknown_with_the_error_object_for_good()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"u2","duration_ms":1000,"outcome":"unknown"}""");
        clock.Advance(TimeSpan.FromSeconds(1));

        var first = await client.GetStatusAsync("u2");
        clock.Advance(TimeSpan.FromHours(1));
        var later = await client.GetStatusAsync("u2");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(
            """{"request_id":"u2","status":"UNKNOWN","error":{"code":500,"message":"Internal Server Error","details":"unexpected failure"}}""",
            first.Body);
        Assert.Equal(first.Body, later.Body);
    }
}

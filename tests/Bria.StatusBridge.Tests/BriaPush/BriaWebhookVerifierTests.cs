using System.Globalization;
using System.Text;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Tests.Simulator;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;
using SimulatorSigner = Bria.StatusBridge.Simulator.Webhooks.WebhookSigner;

namespace Bria.StatusBridge.Tests.BriaPush;

/// <summary>The bridge's verifier of Bria's webhook signature, checked against the simulator's signer and the
/// simulator tests' independent check (both written from docs/bria-api.md).</summary>
public sealed class BriaWebhookVerifierTests
{
    private const string Token = "current-token-0123456789";
    private const string Previous = "previous-token-0123456789";
    private const string Id = "7f3c0a9e";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"request_id":"7f3c0a9e","status":"COMPLETED","result":{"image_url":"https://temp.example/7f3c.png"}}""");

    private static BriaWebhookVerifier Verifier(params string[] previous)
    {
        var options = new BriaOptions { ApiToken = Token };
        foreach (var token in previous)
        {
            options.PreviousApiTokens.Add(token);
        }

        return new BriaWebhookVerifier(Options.Create(options));
    }

    private static string Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Sign(string token, string timestamp, byte[]? body = null, string id = Id) =>
        SimulatorSigner.Sign(SimulatorSigner.DeriveKey(token), id, long.Parse(timestamp, CultureInfo.InvariantCulture), body ?? Body);

    [Fact]
    public void What_the_simulator_signs_verifies_and_the_independent_check_agrees()
    {
        var timestamp = Seconds(Now);
        var signature = Sign(Token, timestamp);

        Assert.Null(Verifier().Verify(Id, timestamp, signature, Body, Now));
        Assert.True(BriaSignature.IsValid(Token, new ReceivedWebhook(Id, timestamp, signature, "application/json", Body)));
        Assert.Equal(BriaWebhookVerifier.DeriveKey(Token), SimulatorSigner.DeriveKey(Token));
    }

    [Fact]
    public void Any_of_several_tokens_may_match()
    {
        var timestamp = Seconds(Now);
        var header = $"v1=bm90IGEgc2lnbmF0dXJl, v0=xyz,{Sign("someone-else", timestamp)} , {Sign(Token, timestamp)}";

        Assert.Null(Verifier().Verify(Id, timestamp, header, Body, Now));
    }

    [Fact]
    public void A_previous_token_from_configuration_still_verifies_and_an_unknown_one_does_not()
    {
        var timestamp = Seconds(Now);

        Assert.Null(Verifier(Previous).Verify(Id, timestamp, Sign(Previous, timestamp), Body, Now));
        Assert.Equal(BriaWebhookRule.BadSignature, Verifier().Verify(Id, timestamp, Sign(Previous, timestamp), Body, Now));
        Assert.Equal(BriaWebhookRule.BadSignature, Verifier(Previous).Verify(Id, timestamp, Sign("unknown-token", timestamp), Body, Now));
    }

    [Fact]
    public void A_changed_body_id_or_timestamp_breaks_the_signature()
    {
        var timestamp = Seconds(Now);
        var signature = Sign(Token, timestamp);
        var changed = (byte[])Body.Clone();
        changed[^3] ^= 1;

        Assert.Equal(BriaWebhookRule.BadSignature, Verifier().Verify(Id, timestamp, signature, changed, Now));
        Assert.Equal(BriaWebhookRule.BadSignature, Verifier().Verify("other-id", timestamp, signature, Body, Now));
        Assert.Equal(BriaWebhookRule.BadSignature, Verifier().Verify(Id, Seconds(Now.AddSeconds(1)), signature, Body, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1=")]
    [InlineData("v1=!!!not base64!!!")]
    [InlineData("v2=c2lnbmF0dXJl")]
    [InlineData("signature")]
    public void Malformed_signature_headers_are_refused_as_bad_signatures(string header) =>
        Assert.Equal(
            header.Length == 0 ? BriaWebhookRule.MissingHeader : BriaWebhookRule.BadSignature,
            Verifier().Verify(Id, Seconds(Now), header, Body, Now));

    [Theory]
    [InlineData(null, "1", "v1=x")]
    [InlineData(Id, null, "v1=x")]
    [InlineData(Id, "1", null)]
    public void A_missing_header_is_named(string? id, string? timestamp, string? signature) =>
        Assert.Equal(BriaWebhookRule.MissingHeader, Verifier().Verify(id, timestamp, signature, Body, Now));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public void An_unreadable_timestamp_is_named(string timestamp) =>
        Assert.Equal(BriaWebhookRule.InvalidTimestamp, Verifier().Verify(Id, timestamp, "v1=x", Body, Now));

    [Theory]
    [InlineData(-301, true)]
    [InlineData(-299, false)]
    [InlineData(299, false)]
    [InlineData(301, true)]
    public void The_timestamp_must_lie_within_the_tolerance_either_way(int offsetSeconds, bool stale)
    {
        var timestamp = Seconds(Now.AddSeconds(offsetSeconds));

        Assert.Equal(stale ? BriaWebhookRule.StaleTimestamp : null, Verifier().Verify(Id, timestamp, Sign(Token, timestamp), Body, Now));
    }

    [Fact]
    public void The_options_never_show_a_token()
    {
        var options = new BriaOptions { ApiToken = Token };
        options.PreviousApiTokens.Add(Previous);

        Assert.DoesNotContain(Token, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Previous, options.ToString(), StringComparison.Ordinal);
    }
}

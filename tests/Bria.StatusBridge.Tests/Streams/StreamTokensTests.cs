using Bria.StatusBridge.Streams;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Streams;

public sealed class StreamTokensTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
    private readonly StreamTokens _tokens;

    public StreamTokensTests() =>
        _tokens = new StreamTokens(new EphemeralDataProtectionProvider(), Options.Create(new StatusStreamOptions { TokenLifetime = TimeSpan.FromMinutes(5) }), _time);

    [Fact]
    public void A_token_opens_its_partners_stream_of_its_request_until_it_expires()
    {
        var token = _tokens.Issue("prt_a", "r-1");
        Assert.Equal(_time.GetUtcNow().AddMinutes(5), token.ExpiresAt);
        Assert.Equal(new StreamTokenGrant("prt_a", null), _tokens.Check(token.Token, "r-1"));
        Assert.DoesNotContain("prt_a", token.Token, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromMinutes(5));
        var expired = _tokens.Check(token.Token, "r-1");
        Assert.Null(expired.PartnerId);
        Assert.Contains("expired", expired.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_opens_no_other_request_and_a_forged_one_opens_nothing()
    {
        var token = _tokens.Issue("prt_a", "r-1");
        var other = _tokens.Check(token.Token, "r-2");
        Assert.Null(other.PartnerId);
        Assert.Contains("another request", other.Problem, StringComparison.Ordinal);

        var forged = _tokens.Check(token.Token[..^4] + "AAAA", "r-1");
        Assert.Null(forged.PartnerId);
        Assert.Contains("not valid", forged.Problem, StringComparison.Ordinal);
        Assert.Null(_tokens.Check("not-a-token", "r-1").PartnerId);
    }
}

using System.Text;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Upstream;
using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tracking;

/// <summary>Checks a <see cref="TrackRequest"/> and lists every problem, each naming the property it is about and
/// saying what to change; the entry points (bus, HTTP API) spell the property names their own way.</summary>
internal sealed class TrackRequestValidator(IOptions<TrackingOptions> tracking, IOptions<BriaOptions> bria, TimeProvider time)
{
    private const int MaxIdLength = 200;
    private const string Metadata = nameof(TrackRequest.Metadata);

    public IReadOnlyList<FieldProblem> Validate(TrackRequest command)
    {
        var problems = new List<FieldProblem>();
        var options = tracking.Value;
        var requestId = command.RequestId;

        if (string.IsNullOrWhiteSpace(requestId))
        {
            problems.Add(new(nameof(TrackRequest.RequestId), "is required: pass the request_id from Bria's 202 answer."));
        }
        else if (requestId.Length > MaxIdLength || requestId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '?' or '#' or '%'))
        {
            problems.Add(new(nameof(TrackRequest.RequestId), $"'{Shorten(requestId)}' is not a Bria request id: it must be at most {MaxIdLength} characters without spaces, '/', '?', '#' or '%'."));
        }
        else if (command.StatusUrl is { } statusUrl && !IsStatusUrlOf(statusUrl, requestId))
        {
            var expected = new Uri(bria.Value.BaseUrl, $"v2/status/{requestId}");
            problems.Add(new(nameof(TrackRequest.StatusUrl), $"'{Shorten(statusUrl.ToString())}' is not Bria's V2 status URL for this request: expected {expected}, or leave it out."));
        }

        if (!Enum.IsDefined(command.EndpointKind))
        {
            problems.Add(new(nameof(TrackRequest.EndpointKind), $"'{command.EndpointKind}' is unknown: use {WireNames.Choices<EndpointKind>()}."));
        }

        if (command.Deadline is { } deadline)
        {
            var now = time.GetUtcNow();
            if (deadline <= now)
            {
                problems.Add(new(nameof(TrackRequest.Deadline), $"{WireNames.Time(deadline)} is in the past: give a time after {WireNames.Time(now)}, or none for the default."));
            }
            else if (deadline - now > options.MaxDeadline)
            {
                problems.Add(new(nameof(TrackRequest.Deadline), $"{WireNames.Time(deadline)} is too far away: at most {options.MaxDeadline} from now."));
            }
        }

        if (command.WebhookUrl is { } webhook && WebhookUrlRule.Check(webhook) is { Allowed: false } refusal)
        {
            problems.Add(new(nameof(TrackRequest.WebhookUrl), refusal.Message!));
        }

        if (command.CorrelationId is { Length: > MaxIdLength })
        {
            problems.Add(new(nameof(TrackRequest.CorrelationId), $"is {command.CorrelationId.Length} characters long: at most {MaxIdLength}."));
        }

        if (command.PartnerId is { Length: > MaxIdLength })
        {
            problems.Add(new(nameof(TrackRequest.PartnerId), $"is {command.PartnerId.Length} characters long: at most {MaxIdLength}."));
        }

        ValidateMetadata(command.Metadata, options, problems);
        return problems;
    }

    private bool IsStatusUrlOf(Uri statusUrl, string requestId)
    {
        if (!statusUrl.IsAbsoluteUri)
        {
            return false;
        }

        var expected = new Uri(bria.Value.BaseUrl, $"v2/status/{Uri.EscapeDataString(requestId)}");
        return Uri.Compare(statusUrl, expected, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && string.IsNullOrEmpty(statusUrl.Query);
    }

    private static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata, TrackingOptions options, List<FieldProblem> problems)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > options.MaxMetadataEntries)
        {
            problems.Add(new(Metadata, $"has {metadata.Count} entries: at most {options.MaxMetadataEntries}."));
        }

        var longKey = metadata.Keys.FirstOrDefault(k => string.IsNullOrEmpty(k) || k.Length > options.MaxMetadataKeyLength);
        if (longKey is not null)
        {
            problems.Add(new(Metadata, $"key '{Shorten(longKey)}' must be 1 to {options.MaxMetadataKeyLength} characters."));
        }

        if (metadata.Values.Any(v => v is null))
        {
            problems.Add(new(Metadata, "values must be strings, not null."));
        }

        var bytes = metadata.Sum(p => Encoding.UTF8.GetByteCount(p.Key) + Encoding.UTF8.GetByteCount(p.Value ?? ""));
        if (bytes > options.MaxMetadataBytes)
        {
            problems.Add(new(Metadata, $"is {bytes} bytes: at most {options.MaxMetadataBytes} bytes of keys and values together."));
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}

using System.Text;
using RabbitMQ.Client;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A message read from an error queue: its body and its headers as text.</summary>
public sealed record DeadLetter(string Body, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A header's text, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal static DeadLetter From(BasicGetResult message)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in message.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            headers[key] = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => "",
                _ => value.ToString() ?? "",
            };
        }

        return new DeadLetter(Encoding.UTF8.GetString(message.Body.Span), message.BasicProperties.ContentType, headers);
    }
}

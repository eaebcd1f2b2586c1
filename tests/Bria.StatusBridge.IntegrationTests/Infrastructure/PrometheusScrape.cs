using System.Globalization;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Reads a bridge's <c>/metrics</c> (Prometheus text) as an operator's scraper would.</summary>
public static class PrometheusScrape
{
    /// <summary>The sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/>
    /// (for example <c>dependency="store"</c>); 0 when there is none.</summary>
    public static async Task<double> ValueAsync(Uri baseUrl, string name, string label)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}

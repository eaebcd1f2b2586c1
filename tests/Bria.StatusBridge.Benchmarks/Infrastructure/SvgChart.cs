using System.Globalization;
using System.Security;
using System.Text;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Plain SVG line and bar charts: no plotting package, no fonts or native libraries to install.</summary>
internal static class SvgChart
{
    private const int Width = 720;
    private const int Height = 400;
    private const int Left = 70;
    private const int Right = 170;
    private const int Top = 40;
    private const int Bottom = 50;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    /// <summary>A cumulative distribution per series: x the value, y the share of samples at or below it.</summary>
    public static string Cdf(string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var lines = series.Select(s =>
        {
            var sorted = s.Values.Order().ToArray();
            IReadOnlyList<(double, double)> points = [.. sorted.Select((v, i) => (v, (i + 1.0) / sorted.Length))];
            return (s.Name, points);
        }).ToList();
        return Lines(title, xLabel, "share of jobs", lines, yMax: 1.0);
    }

    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series, double? yMax = null)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        var xMax = Nice(all.Count == 0 ? 1 : all.Max(p => p.X));
        var yTop = yMax ?? Nice(all.Count == 0 ? 1 : all.Max(p => p.Y));
        var svg = Start(title, xLabel, yLabel, xMax, yTop);
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var points = Thin(series[i].Points);
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"");
            foreach (var (x, y) in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"{X(x, xMax):0.#},{Y(y, yTop):0.#} ");
            }

            svg.AppendLine("\"/>");
            Legend(svg, i, series[i].Name, colour);
        }

        return svg.AppendLine("</svg>").ToString();
    }

    /// <summary>Grouped bars: one group per category, one bar per series.</summary>
    public static string Bars(string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var yTop = Nice(series.SelectMany(s => s.Values).DefaultIfEmpty(1).Max());
        var svg = Start(title, xLabel, yLabel, xMax: null, yTop);
        var plotWidth = Width - Left - Right;
        var group = plotWidth / (double)Math.Max(1, categories.Count);
        var bar = group * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            var x0 = Left + (c * group) + (group * 0.1);
            if (categories.Count <= 30 || c % (categories.Count / 15 + 1) == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + (group * 0.4):0.#}\" y=\"{Height - Bottom + 15}\" font-size=\"10\" text-anchor=\"middle\">{Escape(categories[c])}</text>");
            }

            for (var s = 0; s < series.Count; s++)
            {
                var value = c < series[s].Values.Count ? series[s].Values[c] : 0;
                var y = Y(value, yTop);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0 + (s * bar):0.#}\" y=\"{y:0.#}\" width=\"{bar:0.#}\" height=\"{Height - Bottom - y:0.#}\" fill=\"{Colours[s % Colours.Length]}\"/>");
            }
        }

        for (var s = 0; s < series.Count; s++)
        {
            Legend(svg, s, series[s].Name, Colours[s % Colours.Length]);
        }

        return svg.AppendLine("</svg>").ToString();
    }

    private static StringBuilder Start(string title, string xLabel, string yLabel, double? xMax, double yTop)
    {
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" font-size=\"15\" text-anchor=\"middle\">{Escape(title)}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left + ((Width - Left - Right) / 2)}\" y=\"{Height - 10}\" font-size=\"12\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"15\" y=\"{Top + ((Height - Top - Bottom) / 2)}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 15 {Top + ((Height - Top - Bottom) / 2)})\">{Escape(yLabel)}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        for (var i = 0; i <= 5; i++)
        {
            var y = Y(yTop * i / 5, yTop);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/><text x=\"{Left - 5}\" y=\"{y + 4:0.#}\" font-size=\"10\" text-anchor=\"end\">{Format(yTop * i / 5)}</text>");
            if (xMax is { } max)
            {
                var x = X(max * i / 5, max);
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 15}\" font-size=\"10\" text-anchor=\"middle\">{Format(max * i / 5)}</text>");
            }
        }

        return svg;
    }

    private static void Legend(StringBuilder svg, int index, string name, string colour)
    {
        var y = Top + 10 + (index * 18);
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 10}\" y=\"{y - 9}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{Width - Right + 27}\" y=\"{y + 1}\" font-size=\"11\">{Escape(name)}</text>");
    }

    private static IReadOnlyList<(double X, double Y)> Thin(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count <= 400)
        {
            return points;
        }

        var step = points.Count / 400.0;
        return [.. Enumerable.Range(0, 400).Select(i => points[(int)(i * step)]), points[^1]];
    }

    private static double X(double value, double max) => Left + ((Width - Left - Right) * Math.Clamp(value / max, 0, 1));

    private static double Y(double value, double max) => Height - Bottom - ((Height - Top - Bottom) * Math.Clamp(value / max, 0, 1));

    private static double Nice(double max)
    {
        if (max <= 0 || double.IsNaN(max))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (max <= step * magnitude)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Format(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}

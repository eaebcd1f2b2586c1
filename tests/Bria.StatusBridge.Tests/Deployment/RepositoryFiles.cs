using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Bria.StatusBridge.Tests.Deployment;

/// <summary>Reads the repository's deployment files (found from the test's folder upwards) and the configuration keys
/// the service binds.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>Parses YAML into JSON nodes with YAML 1.2 core-schema scalars (plain 60 is a number, "60" a string).</summary>
    public static JsonNode? ReadYaml(params string[] parts)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(parts));
        stream.Load(reader);
        return ToJson(stream.Documents[0].RootNode);
    }

    /// <summary>Every setting under <paramref name="node"/> as an environment variable name (<c>Polling__Image__Interval</c>;
    /// a list's items as <c>__0</c>, <c>__1</c>, ...) and its text (empty for null).</summary>
    public static Dictionary<string, string> Settings(JsonNode node)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(node, "");
        return settings;

        void Add(JsonNode? child, string prefix)
        {
            switch (child)
            {
                case JsonObject map:
                    foreach (var (key, value) in map)
                    {
                        Add(value, prefix.Length == 0 ? key : $"{prefix}__{key}");
                    }

                    break;
                case JsonArray list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        Add(list[i], $"{prefix}__{i}");
                    }

                    break;
                default:
                    settings[prefix] = child?.ToString() ?? "";
                    break;
            }
        }
    }

    /// <summary>Every key the service binds, as environment variable names (<c>Polling__Image__Interval</c>): the
    /// public settable properties of each options class that declares a <c>SectionName</c>, nested classes included.</summary>
    public static IReadOnlyList<string> ServiceConfigurationKeys()
    {
        var keys = new List<string>();
        foreach (var type in typeof(Bria.StatusBridge.Hosting.BridgeApplication).Assembly.GetTypes())
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string section)
            {
                AddKeys(type, section, keys);
            }
        }

        return keys;
    }

    private static void AddKeys(Type type, string prefix, List<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri)
                && propertyType.Namespace?.StartsWith("Bria.", StringComparison.Ordinal) == true)
            {
                AddKeys(propertyType, name, keys);
            }
            else
            {
                keys.Add(name);
            }
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(bool.Parse(text));
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Bria.StatusBridge.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Bria.StatusBridge.sln above {AppContext.BaseDirectory}.");
    }
}

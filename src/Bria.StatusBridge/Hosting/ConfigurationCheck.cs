using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>Checks every validated options section before the host starts and names each bad key the way an operator
/// sets it (<c>Admin__ApiKey</c>) with what is wrong, instead of the first failure as an unhandled exception.</summary>
internal static partial class ConfigurationCheck
{
    /// <summary>The process exit code for bad configuration (<c>EX_CONFIG</c> in sysexits.h).</summary>
    public const int ExitCode = 78;

    /// <summary>The options types that have validators, taken from the registrations.</summary>
    public static ValidatedOptionsTypes ValidatedOptions(IServiceCollection services) => new(
    [
        .. services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Assembly == typeof(ConfigurationCheck).Assembly)
            .Distinct(),
    ]);

    /// <summary>Every problem, one line per bad key (of the sections in <paramref name="only"/>, when given); empty
    /// when the configuration is good.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services, IReadOnlyCollection<Type>? only = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var problems = new List<string>();
        foreach (var type in services.GetRequiredService<ValidatedOptionsTypes>().Types.Where(t => only is not { Count: > 0 } || only.Contains(t)))
        {
            var section = SectionOf(type);
            try
            {
                var monitor = services.GetRequiredService(typeof(IOptionsMonitor<>).MakeGenericType(type));
                _ = monitor.GetType().GetProperty(nameof(IOptionsMonitor<object>.CurrentValue))!.GetValue(monitor);
            }
            catch (TargetInvocationException invocation) when (invocation.InnerException is { } inner)
            {
                problems.AddRange(Describe(section, inner));
            }
            catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
            {
                problems.AddRange(Describe(section, exception));
            }
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Writes the problems for an operator and answers whether there were any.</summary>
    public static bool Report(IReadOnlyList<string> problems, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(writer);
        if (problems.Count == 0)
        {
            return false;
        }

        writer.WriteLine($"The bridge cannot start: {(problems.Count == 1 ? "one setting is" : $"{problems.Count} settings are")} wrong. "
            + "Keys are shown as environment variables; in appsettings.json, Admin__ApiKey is \"Admin\": { \"ApiKey\": ... }.");
        foreach (var problem in problems)
        {
            writer.WriteLine("  " + problem);
        }

        writer.WriteLine("README.md (Configuration) and docs/operations.md list every key with its default and limits.");
        return true;
    }

    private static IEnumerable<string> Describe(string section, Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.Select(f => DescribeFailure(section, f)),
        InvalidOperationException { InnerException: not null } binding when BindingFailure().Match(binding.Message) is { Success: true } match =>
            [DescribeBinding(match, binding)],
        _ => [$"{section}: {exception.Message}"],
    };

    private static string DescribeFailure(string section, string failure)
    {
        // DataAnnotations: "DataAnnotation validation failed for 'AdminOptions' members: 'ApiKey' with the error: '...'."
        var annotation = AnnotationFailure().Match(failure);
        if (annotation.Success)
        {
            var member = annotation.Groups["member"].Value;
            return $"{Key(section, member)}: {Plain(WithoutKey(annotation.Groups["error"].Value, section, member))}";
        }

        // The generated validators: "Growth: The field PollingOptions.Image.Growth must be between 1 and 10."
        var generated = GeneratedFailure().Match(failure);
        if (generated.Success)
        {
            return $"{Key(section, generated.Groups["path"].Value)}: {generated.Groups["rest"].Value}";
        }

        // Our validators start with the key: "Bria:ApiToken is required ..." or "Polling:Image:Interval must be ...".
        var keyed = KeyedFailure().Match(failure);
        if (keyed.Success && (keyed.Groups["key"].Value.StartsWith(section, StringComparison.OrdinalIgnoreCase)
            || keyed.Groups["key"].Value.StartsWith("ConnectionStrings", StringComparison.Ordinal)))
        {
            return $"{keyed.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal)}: {keyed.Groups["rest"].Value}";
        }

        return $"{section}: {failure}";
    }

    private static string DescribeBinding(Match match, InvalidOperationException binding)
    {
        var key = match.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal);
        var value = match.Groups["value"].Value;
        var typeName = match.Groups["type"].Value;
        var type = Type.GetType(typeName) ?? typeof(ConfigurationCheck).Assembly.GetType(typeName);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var expected = type switch
        {
            { IsEnum: true } => $"use {string.Join(" or ", Enum.GetNames(type))}",
            _ when type == typeof(TimeSpan) => "give a duration such as 00:00:30 (hh:mm:ss) or 1.00:00:00 (one day)",
            _ when type == typeof(int) || type == typeof(long) => "give a whole number",
            _ when type == typeof(double) => "give a number such as 1.5",
            _ when type == typeof(bool) => "give true or false",
            _ when type == typeof(Uri) => "give an absolute URL such as https://example.com",
            _ => binding.InnerException!.Message,
        };
        return $"{key}: '{value}' is not valid: {expected}.";
    }

    private static string WithoutKey(string error, string section, string member)
    {
        // Messages that name the key in the ':' form already: keep the sentence, the key is in front of it.
        foreach (var form in new[] { $"{section}:{member} ", $"{section}__{member} " })
        {
            if (error.StartsWith(form, StringComparison.Ordinal))
            {
                return error[form.Length..];
            }
        }

        return error;
    }

    private static string Key(string section, string member) => (section, member) switch
    {
        // Connection strings live in their own section, as in every .NET service.
        ("Persistence", "ConnectionString") => "ConnectionStrings__StatusBridge",
        ("Bus", "RabbitMqUri") => "ConnectionStrings__RabbitMq",
        _ => $"{section}__{member.Replace(".", "__", StringComparison.Ordinal)}",
    };

    // "The field MaxMetadataEntries must be between 0 and 1000." names the key again: it is already in front.
    private static string Plain(string error)
    {
        var match = FieldSentence().Match(error);
        return match.Success ? match.Groups["rest"].Value : error;
    }

    private static string SectionOf(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
        ?? (type.Name.EndsWith("Options", StringComparison.Ordinal) ? type.Name[..^"Options".Length] : type.Name);

    [GeneratedRegex("""members: '(?<member>[^']+)' with the error: '(?<error>.*)'\.?$""", RegexOptions.Singleline)]
    private static partial Regex AnnotationFailure();

    [GeneratedRegex("""^\w+: The field \w+\.(?<path>[\w.]+) (?<rest>.+)$""", RegexOptions.Singleline)]
    private static partial Regex GeneratedFailure();

    [GeneratedRegex("""^The field [\w.]+ (?<rest>.+)$""", RegexOptions.Singleline)]
    private static partial Regex FieldSentence();

    [GeneratedRegex("""^(?<key>[A-Za-z]+(?:(?::|__)[A-Za-z0-9]+)+):? (?<rest>.+)$""", RegexOptions.Singleline)]
    private static partial Regex KeyedFailure();

    [GeneratedRegex("""^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'""", RegexOptions.Singleline)]
    private static partial Regex BindingFailure();
}

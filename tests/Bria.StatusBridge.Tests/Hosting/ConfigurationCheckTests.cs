using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.Tests.Hosting;

public sealed class ConfigurationCheckTests
{
    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.SectionName)).ValidateDataAnnotations();
        services.AddOptions<PersistenceOptions>().Bind(configuration.GetSection(PersistenceOptions.SectionName)).ValidateDataAnnotations();
        services.AddSingleton(ConfigurationCheck.ValidatedOptions(services));
        using var provider = services.BuildServiceProvider();
        return ConfigurationCheck.Problems(provider);
    }

    [Fact]
    public void Every_bad_key_of_every_section_is_named_as_an_environment_variable()
    {
        var problems = Problems(new()
        {
            ["Admin:ApiKey"] = "short",
            ["Tracking:MaxMetadataEntries"] = "-1",
            ["Persistence:Provider"] = "Oracle",
        });

        Assert.Equal(
            [
                "Admin__ApiKey: must be at least 24 characters (or empty to turn the admin API off).",
                "Tracking__MaxMetadataEntries: must be between 0 and 1000.",
                "Persistence__Provider: 'Oracle' is not valid: use Sqlite or Postgres.",
            ],
            problems);
    }

    [Fact]
    public void Good_settings_have_no_problems_and_the_report_writes_nothing()
    {
        var problems = Problems(new() { ["Admin:ApiKey"] = new string('k', 24), ["Persistence:ConnectionString"] = "Data Source=x.db" });
        using var writer = new StringWriter();

        Assert.Empty(problems);
        Assert.False(ConfigurationCheck.Report(problems, writer));
        Assert.Equal("", writer.ToString());
    }
}

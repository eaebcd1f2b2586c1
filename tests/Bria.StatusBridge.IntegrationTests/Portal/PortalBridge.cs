using System.Net;
using System.Net.Http.Json;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.IntegrationTests.Portal;

/// <summary>An <see cref="ApiBridge"/> (real PostgreSQL and RabbitMQ, loopback allow-listed) that also listens on HTTPS
/// with a self-signed certificate: the API is called over HTTP, the portal is opened over HTTPS.</summary>
public sealed class PortalBridge : IAsyncDisposable
{
    private readonly string _directory;

    private PortalBridge(ApiBridge api, string directory, IReadOnlyDictionary<string, string?> settings)
    {
        Api = api;
        _directory = directory;
        Settings = settings;
        Https = HttpsAddress(api.Bridge);
    }

    public ApiBridge Api { get; }

    /// <summary>The portal's base address (https).</summary>
    public Uri Https { get; }

    /// <summary>The settings the bridge started with, for a second replica on the same store.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<PortalBridge> StartAsync(RabbitMqFixture rabbit, PostgresFixture postgres, Action<IDictionary<string, string?>>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("statusbridge-portal-").FullName;
        var certificate = TestCertificate.CreatePfx(directory);
        Dictionary<string, string?> used = [];
        var api = await ApiBridge.StartAsync(rabbit, postgres, settings =>
        {
            AddHttps(settings, certificate);
            configure?.Invoke(settings);
            used = new Dictionary<string, string?>(settings);
        });
        return new PortalBridge(api, directory, used);
    }

    /// <summary>Settings that make a bridge listen on HTTP and HTTPS on free loopback ports.</summary>
    public static void AddHttps(IDictionary<string, string?> settings, string certificate)
    {
        settings["urls"] = "http://127.0.0.1:0;https://127.0.0.1:0";
        settings["Kestrel:Certificates:Default:Path"] = certificate;
        settings["Kestrel:Certificates:Default:Password"] = TestCertificate.Password;
    }

    public static Uri HttpsAddress(BridgeHost bridge) => new(
        bridge.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => a.StartsWith("https://", StringComparison.Ordinal)).TrimEnd('/') + "/");

    /// <summary>Asks the operator route for a portal link and returns it, pointed at the HTTPS address.</summary>
    public async Task<Uri> IssueLinkAsync(string partnerId, Uri? bridge = null)
    {
        var issued = await ApiBridge.ReadAsync(await Api.Admin.PostAsync($"/v1/admin/partners/{partnerId}/portal-links", null), HttpStatusCode.Created);
        var url = new Uri((string)issued["url"]!);
        Assert.True(DateTimeOffset.Parse((string)issued["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        return new Uri(bridge ?? Https, url.PathAndQuery);
    }

    /// <summary>Registers an endpoint through the API and returns its id.</summary>
    public static async Task<string> CreateEndpointAsync(TestPartner partner, Uri url)
    {
        var created = await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = url.ToString(), event_types = new[] { "request.completed", "request.failed" } }),
            HttpStatusCode.Created);
        return (string)created["endpoint_id"]!;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

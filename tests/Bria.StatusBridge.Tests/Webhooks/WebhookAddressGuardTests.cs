using System.Net;
using System.Net.Sockets;
using System.Text;
using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Webhooks;

/// <summary>The SSRF guard, through the real webhook client registration: every refused range is refused at
/// connect time with the rule named, and the allow-list admits what it lists.</summary>
public sealed class WebhookAddressGuardTests
{
    public static TheoryData<string, string> RefusedAddresses => new()
    {
        { "0.0.0.1", "0.0.0.0/8" },
        { "10.1.2.3", "private network (RFC 1918)" },
        { "100.64.0.1", "carrier-grade NAT" },
        { "127.0.0.1", "loopback" },
        { "127.255.255.254", "loopback" },
        { "169.254.169.254", "link-local" },
        { "172.16.5.4", "private network (RFC 1918)" },
        { "172.31.255.255", "private network (RFC 1918)" },
        { "192.0.0.8", "IETF protocol assignments" },
        { "192.0.2.1", "TEST-NET-1" },
        { "192.88.99.1", "6to4 relay anycast" },
        { "192.168.1.1", "private network (RFC 1918)" },
        { "198.18.0.1", "benchmarking" },
        { "198.51.100.7", "TEST-NET-2" },
        { "203.0.113.9", "TEST-NET-3" },
        { "224.0.0.1", "multicast" },
        { "239.255.255.250", "multicast" },
        { "255.255.255.255", "broadcast" },
        { "240.0.0.1", "reserved (240.0.0.0/4)" },
        { "::", "IPv6 unspecified" },
        { "::1", "IPv6 loopback" },
        { "100::1", "discard-only" },
        { "64:ff9b:1::1", "local-use NAT64" },
        { "2001::1", "Teredo" },
        { "2001:db8::1", "IPv6 documentation" },
        { "3fff::1", "IPv6 documentation" },
        { "fc00::1", "unique local address" },
        { "fd12:3456::1", "unique local address" },
        { "fe80::1", "IPv6 link-local" },
        { "fec0::1", "site-local" },
        { "ff02::1", "IPv6 multicast" },
        { "4000::1", "outside global unicast" },
        { "::ffff:127.0.0.1", "IPv4-mapped form (::ffff:0:0/96) of loopback" },
        { "::ffff:10.0.0.1", "IPv4-mapped form (::ffff:0:0/96) of private network" },
        { "::ffff:169.254.169.254", "IPv4-mapped form (::ffff:0:0/96) of link-local" },
        { "::ffff:100.64.1.1", "IPv4-mapped form (::ffff:0:0/96) of carrier-grade NAT" },
        { "64:ff9b::7f00:1", "NAT64 form (64:ff9b::/96) of loopback" },
        { "64:ff9b::a9fe:a9fe", "NAT64 form (64:ff9b::/96) of link-local" },
        { "64:ff9b::c0a8:101", "NAT64 form (64:ff9b::/96) of private network" },
        { "2002:7f00:1::1", "6to4 form (2002::/16) of loopback" },
        { "2002:a9fe:a9fe::1", "6to4 form (2002::/16) of link-local" },
        { "2002:ac10:1::1", "6to4 form (2002::/16) of private network" },
        { "::7f00:1", "IPv4-compatible form (::/96) of loopback" },
    };

    [Theory]
    [MemberData(nameof(RefusedAddresses))]
    public async Task Refused_address_is_refused_at_connect_time_naming_the_rule(string address, string rule)
    {
        using var services = WebhookServices([]);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName);
        var host = IPAddress.Parse(address).AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://{host}:8080/hook")));

        var refused = FindRefusal(exception);
        Assert.NotNull(refused);
        Assert.Contains(rule, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedAddresses))]
    public void Refused_address_is_refused_by_the_registration_check(string address, string rule)
    {
        var policy = new WebhookUrlPolicy(new WebhookAddressPolicy([]), Options.Create(new WebhookOptions { RequireHttps = true }));
        var host = IPAddress.Parse(address).AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

        var result = policy.CheckSyntax(new Uri($"https://{host}/hook"));

        Assert.False(result.Allowed);
        Assert.Equal("address", result.Rule);
        Assert.Contains(rule, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_admitted(string address) =>
        Assert.Null(new WebhookAddressPolicy([]).Refusal(IPAddress.Parse(address)));

    [Fact]
    public async Task Hostname_resolving_to_loopback_is_refused_at_connect_time()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var services = WebhookServices([]);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://localhost:{receiver.Port}/hook")));

        Assert.Contains("loopback", FindRefusal(exception)?.Message, StringComparison.Ordinal);
        Assert.Equal(0, receiver.Accepted);
    }

    [Fact]
    public async Task Allow_list_admits_127_0_0_1_and_only_it()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var services = WebhookServices(["127.0.0.1/32"]);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName);

        // localhost also resolves to ::1, which stays refused; the guard connects to the admitted 127.0.0.1.
        using var byName = await client.GetAsync(new Uri($"http://localhost:{receiver.Port}/hook"));
        using var byAddress = await client.GetAsync(new Uri($"http://127.0.0.1:{receiver.Port}/hook"));
        var other = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.2:{receiver.Port}/hook")));

        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAddress.StatusCode);
        Assert.Contains("loopback", FindRefusal(other)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var receiver = await LoopbackReceiver.StartAsync("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var services = WebhookServices(["127.0.0.1/32"]);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName);

        using var response = await client.PostAsync(new Uri($"http://127.0.0.1:{receiver.Port}/hook"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(1, receiver.Accepted);
    }

    [Theory]
    [InlineData("ftp://example.com/hook", "scheme")]
    [InlineData("http://example.com/hook", "https-required")]
    [InlineData("https://user:pw@example.com/hook", "credentials")]
    [InlineData("https://169.254.169.254/latest/meta-data", "address")]
    [InlineData("https://[::ffff:192.168.0.1]/hook", "address")]
    public void Registration_check_names_the_rule(string url, string rule)
    {
        var policy = new WebhookUrlPolicy(new WebhookAddressPolicy([]), Options.Create(new WebhookOptions { RequireHttps = true }));

        var result = policy.CheckSyntax(new Uri(url));

        Assert.False(result.Allowed);
        Assert.Equal(rule, result.Rule);
    }

    [Fact]
    public async Task Registration_check_resolves_the_host()
    {
        var policy = new WebhookUrlPolicy(new WebhookAddressPolicy([]), Options.Create(new WebhookOptions { RequireHttps = false }));

        var result = await policy.CheckAsync(new Uri("http://localhost:8080/hook"), CancellationToken.None);

        Assert.False(result.Allowed);
        Assert.Contains("loopback", result.Message, StringComparison.Ordinal);
    }

    private static WebhookAddressRefusedException? FindRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>The webhook client exactly as the bridge registers it.</summary>
    private static ServiceProvider WebhookServices(string[] allowedSubnets)
    {
        var settings = new Dictionary<string, string?> { ["Webhooks:RequireHttps"] = "false" };
        for (var i = 0; i < allowedSubnets.Length; i++)
        {
            settings[$"Webhooks:AllowedSubnets:{i}"] = allowedSubnets[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddWebhooks(configuration, new TestEnvironment());
        return services.BuildServiceProvider();
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    /// <summary>A raw TCP listener on 127.0.0.1 that answers every connection with one fixed response.</summary>
    private sealed class LoopbackReceiver : IAsyncDisposable
    {
        private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly string _response;
        private Task _loop = Task.CompletedTask;
        private int _accepted;

        private LoopbackReceiver(string response)
        {
            _response = response;
            _listener = new TcpListener(IPAddress.Loopback, 0);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public static Task<LoopbackReceiver> StartAsync(string response = Ok)
        {
            var receiver = new LoopbackReceiver(response);
            receiver._listener.Start();
            receiver._loop = receiver.AcceptAsync();
            return Task.FromResult(receiver);
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _accepted);
                    var buffer = new byte[8192];
                    await socket.ReceiveAsync(buffer, _stop.Token);
                    await socket.SendAsync(Encoding.ASCII.GetBytes(_response), _stop.Token);
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || _stop.IsCancellationRequested)
            {
                // Stopped: the loop may be between two accepts when the listener stops, and then finds it not listening.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            _stop.Dispose();
        }
    }
}

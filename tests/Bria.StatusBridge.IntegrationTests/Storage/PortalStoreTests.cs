using System.Xml.Linq;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Storage;

/// <summary>The portal's tables on both stores (migration 0006): one-time links, Data Protection keys, and a
/// partner's list of tracked requests.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class PortalStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task A_link_works_once_and_not_after_it_expires(StoreProvider provider)
    {
        await WithStoreAsync(provider, async connections =>
        {
            var partner = await new PartnerStore(connections, MsOptions.Create(new WebhookOptions())).CreatePartnerAsync("Acme", Now, CancellationToken.None);
            var links = new PortalLinkStore(connections);
            await links.AddAsync("hash-once", partner.PartnerId, Now, Now.AddMinutes(15), CancellationToken.None);
            await links.AddAsync("hash-late", partner.PartnerId, Now, Now.AddMinutes(15), CancellationToken.None);

            Assert.Equal(partner.PartnerId, await links.UseAsync("hash-once", Now.AddMinutes(14), CancellationToken.None));
            Assert.Null(await links.UseAsync("hash-once", Now.AddMinutes(14), CancellationToken.None));
            Assert.Null(await links.UseAsync("hash-late", Now.AddMinutes(15), CancellationToken.None));
            Assert.Null(await links.UseAsync("hash-unknown", Now, CancellationToken.None));

            // Issuing a link clears the expired ones: the late link is gone for good.
            await links.AddAsync("hash-next", partner.PartnerId, Now.AddHours(1), Now.AddHours(2), CancellationToken.None);
            Assert.Null(await links.UseAsync("hash-late", Now, CancellationToken.None));
            Assert.Equal(partner.PartnerId, await links.UseAsync("hash-next", Now.AddHours(1), CancellationToken.None));
        });
    }

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task Data_protection_keys_written_by_one_instance_are_read_by_another(StoreProvider provider)
    {
        await WithStoreAsync(provider, connections =>
        {
            var writer = new DataProtectionKeyRepository(connections, new FakeTimeProvider(Now));
            writer.StoreElement(new XElement("key", new XAttribute("id", "1"), new XElement("secret", "a")), "key-1");
            writer.StoreElement(new XElement("key", new XAttribute("id", "2")), "key-2");

            var reader = new DataProtectionKeyRepository(connections, new FakeTimeProvider(Now));
            var keys = reader.GetAllElements();
            Assert.Equal(["1", "2"], keys.Select(k => (string)k.Attribute("id")!).Order());
            Assert.Equal("a", keys.Single(k => (string)k.Attribute("id")! == "1").Element("secret")!.Value);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task The_migrate_command_leaves_one_data_protection_key_for_the_replicas_that_start_after_it()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        string[] args = ["migrate", "--Persistence:Provider=Postgres", $"--ConnectionStrings:StatusBridge={connectionString}"];
        Assert.Equal(0, await Bria.StatusBridge.Hosting.BridgeCommandLine.RunAsync(args));
        Assert.Equal(0, await Bria.StatusBridge.Hosting.BridgeCommandLine.RunAsync(args));

        var connections = new DbConnectionFactory(MsOptions.Create(new PersistenceOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString }));
        await using (connections)
        {
            var keys = new DataProtectionKeyRepository(connections, new FakeTimeProvider(Now)).GetAllElements();
            Assert.Equal("key", Assert.Single(keys).Name.LocalName);
        }
    }

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task A_partner_lists_only_the_requests_it_tracks_newest_first(StoreProvider provider)
    {
        await WithStoreAsync(provider, async connections =>
        {
            var partners = new PartnerStore(connections, MsOptions.Create(new WebhookOptions()));
            var a = await partners.CreatePartnerAsync("A", Now, CancellationToken.None);
            var b = await partners.CreatePartnerAsync("B", Now, CancellationToken.None);
            var requests = StoreGraph.Tracking(connections);
            async Task TrackAsync(string requestId, string partnerId, string correlationId, DateTimeOffset at) =>
                await requests.TrackAsync(
                    new TrackingCommand(requestId, null, correlationId, partnerId, null, EndpointKind.Image, at.AddHours(1), new Dictionary<string, string>(), null),
                    at, at.AddSeconds(2), CancellationToken.None);
            await TrackAsync("shared", a.PartnerId, "a-1", Now);
            await TrackAsync("a-only", a.PartnerId, "a-2", Now.AddSeconds(1));
            await TrackAsync("shared", b.PartnerId, "b-1", Now.AddSeconds(2));
            await TrackAsync("b-only", b.PartnerId, "b-2", Now.AddSeconds(3));
            await TrackAsync("shared", a.PartnerId, "a-3", Now.AddSeconds(4));

            var listed = await requests.ListForPartnerAsync(a.PartnerId, 10, CancellationToken.None);
            Assert.Equal(["shared", "a-only"], listed.Select(r => r.RequestId));
            Assert.All(listed, r => Assert.Equal(TrackingState.Tracking, r.State));
            Assert.Equal(Now.AddSeconds(4), listed[0].TrackedAt);
            Assert.Single(await requests.ListForPartnerAsync(a.PartnerId, 1, CancellationToken.None));
        });
    }

    [Theory]
    [InlineData(StoreProvider.Postgres)]
    [InlineData(StoreProvider.Sqlite)]
    public async Task A_partner_list_pages_past_older_history_and_shows_a_request_once_even_with_subscriptions_at_the_same_moment(StoreProvider provider)
    {
        await WithStoreAsync(provider, async connections =>
        {
            var partners = new PartnerStore(connections, MsOptions.Create(new WebhookOptions()));
            var a = await partners.CreatePartnerAsync("A", Now, CancellationToken.None);
            var requests = StoreGraph.Tracking(connections);
            async Task TrackAsync(string requestId, string correlationId, DateTimeOffset at) =>
                await requests.TrackAsync(
                    new TrackingCommand(requestId, null, correlationId, a.PartnerId, null, EndpointKind.Image, at.AddHours(1), new Dictionary<string, string>(), null),
                    at, at.AddSeconds(2), CancellationToken.None);
            for (var i = 0; i < 30; i++)
            {
                await TrackAsync($"old-{i:D2}", $"old-{i}", Now.AddMinutes(-60 + i));
            }

            // Two subscriptions of the partner to one request in the same millisecond, and a newer one to an old request.
            await TrackAsync("twice", "first", Now);
            await TrackAsync("twice", "second", Now);
            await TrackAsync("old-03", "again", Now.AddSeconds(1));

            var listed = await requests.ListForPartnerAsync(a.PartnerId, 4, CancellationToken.None);
            Assert.Equal(["old-03", "twice", "old-29", "old-28"], listed.Select(r => r.RequestId));
            Assert.Equal([Now.AddSeconds(1), Now, Now.AddMinutes(-31), Now.AddMinutes(-32)], listed.Select(r => r.TrackedAt));
            Assert.Equal(31, (await requests.ListForPartnerAsync(a.PartnerId, 100, CancellationToken.None)).Count);
        });
    }

    private async Task WithStoreAsync(StoreProvider provider, Func<DbConnectionFactory, Task> test)
    {
        var file = Path.Combine(Path.GetTempPath(), $"statusbridge-portal-store-{Guid.NewGuid():N}.db");
        var connectionString = provider == StoreProvider.Postgres ? await postgres.CreateDatabaseAsync() : $"Data Source={file}";
        var connections = new DbConnectionFactory(MsOptions.Create(new PersistenceOptions { Provider = provider, ConnectionString = connectionString }));
        try
        {
            await new MigrationRunner(connections, new FakeTimeProvider(Now), NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
            await test(connections);
        }
        finally
        {
            await connections.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var leftover in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            {
                File.Delete(leftover);
            }
        }
    }
}

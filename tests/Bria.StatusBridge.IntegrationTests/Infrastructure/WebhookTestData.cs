using Bria.StatusBridge.Webhooks;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Partners and endpoints written straight into a bridge's PostgreSQL database (the HTTP API is not needed
/// to test delivery).</summary>
public static class WebhookTestData
{
    public static async Task AddPartnerAsync(string connectionString, string partnerId)
    {
        await ExecuteAsync(
            connectionString,
            "INSERT INTO partners (partner_id, name, created_at) VALUES (@p, @p, 0)",
            ("p", partnerId));
    }

    /// <summary>Adds an enabled endpoint and returns its secret.</summary>
    public static async Task<string> AddEndpointAsync(
        string connectionString, string partnerId, string endpointId, Uri url, string eventTypes = "request.completed request.failed")
    {
        var secret = WebhookSecret.Generate();
        await ExecuteAsync(
            connectionString,
            """
            INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, event_types, secret, created_at, updated_at)
            VALUES (@e, @p, @u, @t, @s, 0, 0)
            """,
            ("e", endpointId),
            ("p", partnerId),
            ("u", url.ToString()),
            ("t", eventTypes),
            ("s", secret));
        return secret;
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public static async Task<IReadOnlyList<object?[]>> RowsAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}

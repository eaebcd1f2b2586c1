namespace Bria.StatusBridge.IntegrationTests.Api;

/// <summary>A partner created through the admin API, with a client that authenticates as it.</summary>
public sealed record TestPartner(string PartnerId, string KeyId, string Key, HttpClient Client);

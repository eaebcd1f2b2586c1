using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bria.StatusBridge.Webhooks;

/// <summary>The webhook client's certificate check when <see cref="WebhookOptions.TrustedRootCertificates"/> is set: a
/// certificate the system already trusts passes as before; one whose only fault is an untrusted chain passes when the
/// chain ends at one of the configured roots. A wrong host name, a missing certificate or an expired one never passes.</summary>
internal sealed class WebhookTrustedRoots
{
    private readonly X509Certificate2Collection _roots;

    private WebhookTrustedRoots(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>The configured roots, or null when none are configured (the platform's check then stands alone).</summary>
    public static WebhookTrustedRoots? Load(IReadOnlyList<string>? paths)
    {
        if (paths is null || paths.Count == 0)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        foreach (var path in paths)
        {
            roots.ImportFromPemFile(path);
        }

        return new WebhookTrustedRoots(roots);
    }

    /// <summary>What is wrong with the PEM file at <paramref name="path"/>, or null.</summary>
    public static string? Problem(string path)
    {
        if (!File.Exists(path))
        {
            return $"the file '{path}' does not exist.";
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException exception)
        {
            return $"'{path}' is not a PEM certificate file ({exception.Message}).";
        }

        return certificates.Count == 0 ? $"'{path}' holds no certificate." : null;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        // Private CAs rarely publish revocation lists, and the webhook client may reach nothing but the receiver.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A private certificate authority made by the test, and server certificates it signs: nothing on the machine
/// trusts it, so only a bridge told to (Webhooks:TrustedRootCertificates) accepts its servers.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name)
    {
        var request = new CertificateRequest($"CN={name} Test Root", _rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Root = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        RootPemPath = Path.Combine(Path.GetTempPath(), $"statusbridge-root-{Guid.NewGuid():N}.pem");
        File.WriteAllText(RootPemPath, Root.ExportCertificatePem());
    }

    /// <summary>The root certificate, with its private key (it signs the server certificates).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The root as a PEM file, for <c>Webhooks:TrustedRootCertificates</c>.</summary>
    public string RootPemPath { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost, signed by the root, with its private key.</summary>
    public X509Certificate2 IssueServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Root, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12, so that the key is one Kestrel's TLS stack can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Root.Dispose();
        _rootKey.Dispose();
        File.Delete(RootPemPath);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Engine.Ipc;
using Engine.Ipc.Transport;
using Engine.Tests.Support;

namespace Engine.Tests.Ipc;

/// <summary>
/// TLS over tcp:// on loopback, with throwaway certificates made here: a client that trusts the
/// host's CA is served; one that trusts another CA, one that finds another name in the
/// certificate, and one that does not speak TLS at all fail with ConnectionFailed, and the host
/// keeps serving. With a client CA the host also requires client certificates.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _ca = Certificates.CreateCa("Engine Test CA");
    private readonly string _caFile;
    private readonly string _certFile;
    private readonly string _keyFile;

    public TlsTests()
    {
        _caFile = Certificates.WriteCertificate(_ca, _dir.Combine("ca.pem"));
        using var server = Certificates.CreateLeaf(_ca, "CN=127.0.0.1", server: true, ["127.0.0.1"], ["localhost"]);
        (_certFile, _keyFile) = Certificates.WriteCertificateAndKey(server, _dir.Combine("server.pem"), _dir.Combine("server.key"));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_spawned_TLS_host_on_loopback_serves_clients_that_trust_its_CA()
    {
        var socket = $"tcp://127.0.0.1:{IpcTest.FreeTcpPort()}";
        await using var host = await Spawned.StartAsync(new SpawnOptions
        {
            Socket = socket,
            Memory = true,
            TlsCertificateFile = _certFile,
            TlsKeyFile = _keyFile,
            TlsCaFile = _caFile,
        });
        await using var other = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, TlsCaFile = _caFile, Timeout = IpcTest.Guard });

        var id = await host.Client.CommitAsync("secure", "over tls"u8.ToArray());
        Assert.Equal(id, Assert.Single(await other.RangeAsync("secure")).Id);
        await other.CommitAsync("secure", "back"u8.ToArray());
        Assert.Equal(["over tls", "back"], (await host.Client.RangeAsync("secure")).Select(e => e.BodyText));
        await IpcTest.AssertServesAsync(other);
        await host.Client.ShutdownAsync();
    }

    [Theory]
    [InlineData("another-ca")]
    [InlineData("no-ca")]
    [InlineData("plaintext")]
    public async Task A_client_that_cannot_verify_the_host_fails_with_ConnectionFailed_and_the_host_keeps_serving(string client)
    {
        var socket = $"tcp://127.0.0.1:{IpcTest.FreeTcpPort()}";
        await using var host = await InProcessHost.StartAsync(o => o with { Tls = new TlsSettings(_certFile, _keyFile, null) }, socket);
        await using var trusted = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, TlsCaFile = _caFile, Timeout = IpcTest.Guard });
        var options = new ConnectOptions { Socket = socket, Timeout = TimeSpan.FromSeconds(2) };
        switch (client)
        {
            case "another-ca":
                using (var other = Certificates.CreateCa("Someone Else's CA"))
                    options = options with { TlsCaFile = Certificates.WriteCertificate(other, _dir.Combine("other-ca.pem")) };
                break;
            case "no-ca": // TLS on (a client certificate) but no CA: nothing is trusted, not everything
                options = options with { TlsCertificateFile = _certFile, TlsKeyFile = _keyFile };
                break;
        }

        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await LogClient.ConnectAsync(options));

        await IpcTest.AssertServesAsync(trusted);
        await using var later = await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, TlsCaFile = _caFile, Timeout = IpcTest.Guard });
        await IpcTest.AssertServesAsync(later);
    }

    [Fact]
    public async Task A_client_fails_with_ConnectionFailed_when_the_host_certificate_names_another_host()
    {
        using var named = Certificates.CreateLeaf(_ca, "CN=engine.example", server: true, [], ["engine.example"]);
        var (certFile, keyFile) = Certificates.WriteCertificateAndKey(named, _dir.Combine("named.pem"), _dir.Combine("named.key"));
        var socket = $"tcp://127.0.0.1:{IpcTest.FreeTcpPort()}";
        await using var host = await InProcessHost.StartAsync(o => o with { Tls = new TlsSettings(certFile, keyFile, null) }, socket);

        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed,
            async () => await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, TlsCaFile = _caFile, Timeout = TimeSpan.FromSeconds(2) }));
    }

    [Fact]
    public async Task A_host_with_a_client_CA_serves_clients_with_a_certificate_from_it_and_refuses_others()
    {
        using var clientCa = Certificates.CreateCa("Engine Client CA");
        var clientCaFile = Certificates.WriteCertificate(clientCa, _dir.Combine("client-ca.pem"));
        using var clientCert = Certificates.CreateLeaf(clientCa, "CN=engine-client", server: false, [], []);
        var (clientCertFile, clientKeyFile) = Certificates.WriteCertificateAndKey(clientCert, _dir.Combine("client.pem"), _dir.Combine("client.key"));
        var socket = $"tcp://127.0.0.1:{IpcTest.FreeTcpPort()}";
        await using var host = await InProcessHost.StartAsync(o => o with { Tls = new TlsSettings(_certFile, _keyFile, clientCaFile) }, socket);

        await using var admitted = await LogClient.ConnectAsync(new ConnectOptions
        {
            Socket = socket,
            TlsCaFile = _caFile,
            TlsCertificateFile = clientCertFile,
            TlsKeyFile = clientKeyFile,
            Timeout = IpcTest.Guard,
        });
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed,
            async () => await LogClient.ConnectAsync(new ConnectOptions { Socket = socket, TlsCaFile = _caFile, Timeout = TimeSpan.FromSeconds(2) }));
        // A certificate the host's client CA did not sign: the server's own.
        await IpcTest.FailsWithAsync(LogEngineError.ConnectionFailed, async () => await LogClient.ConnectAsync(new ConnectOptions
        {
            Socket = socket,
            TlsCaFile = _caFile,
            TlsCertificateFile = _certFile,
            TlsKeyFile = _keyFile,
            Timeout = TimeSpan.FromSeconds(2),
        }));

        await IpcTest.AssertServesAsync(admitted);
    }
}

/// <summary>Throwaway ECDSA certificates (CertificateRequest) written as PEM files.</summary>
internal static class Certificates
{
    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public static X509Certificate2 CreateLeaf(X509Certificate2 ca, string subject, bool server, string[] ips, string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (ips.Length + names.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var ip in ips) san.AddIpAddress(IPAddress.Parse(ip));
            foreach (var name in names) san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        return certificate.CopyWithPrivateKey(key);
    }

    public static string WriteCertificate(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    public static (string Certificate, string Key) WriteCertificateAndKey(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        WriteCertificate(certificate, certificatePath);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no private key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}

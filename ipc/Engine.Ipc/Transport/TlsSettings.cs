using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Engine.Ipc.Transport;

/// <summary>
/// TLS for <c>tcp://</c>: the host presents a certificate (PEM certificate and key files); a
/// client trusts it only if it chains to the CA it was given (PEM), not the system's store. With a
/// CA on the host side too, the host requires client certificates that chain to it.
/// </summary>
internal sealed record TlsSettings(string? CertificatePath, string? KeyPath, string? CaPath)
{
    public bool IsEnabled => CertificatePath is not null || CaPath is not null;

    public X509Certificate2 LoadCertificate()
    {
        if (CertificatePath is null || KeyPath is null)
            throw new LogEngineException(LogEngineError.InvalidArgument, "TLS needs both a certificate and a key file (PEM)");
        using var pem = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        // Re-imported so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Accepts a peer certificate only if it chains to the configured CA.</summary>
    public RemoteCertificateValidationCallback Validator() => (_, certificate, _, errors) =>
    {
        if (certificate is null || CaPath is null) return false;
        using var ca = X509CertificateLoader.LoadCertificateFromFile(CaPath);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var peer = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        // Name mismatches are still errors; only the trust anchor is replaced.
        return chain.Build(peer) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    };
}

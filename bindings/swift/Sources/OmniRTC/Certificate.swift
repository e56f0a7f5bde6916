import COmniRTC
import Foundation

/// A DTLS certificate with its private key (W3C `RTCCertificate`): pass its
/// ``pem`` in ``Configuration/certificates`` so a peer keeps its identity.
/// A peer made with an expired one throws ``OmniRTCError/invalidAccess(_:)``.
public struct Certificate: Sendable, Equatable {
    /// The key algorithms of W3C `generateCertificate`.
    public enum Algorithm: Sendable, Equatable {
        case ecdsaP256
        /// RSASSA-PKCS1-v1_5 with exponent 65537 and SHA-256; 1024...4096 bits.
        case rsa(modulusLength: Int)
    }

    /// The certificate and its private key as PEM text, to store.
    public let pem: String
    /// When the certificate stops being valid.
    public let expires: Date
    /// The fingerprints a peer made with it announces in its SDP.
    public let fingerprints: [DTLSFingerprint]

    /// A certificate stored as PEM text (``pem``, or ``Library/generateCertificate()``).
    public init(pem: String) throws(OmniRTCError) {
        let json = try callString { omnirtc_certificate_info(pem, $0) } ?? "{}"
        guard let info = try? JSONDecoder().decode(Info.self, from: Data(json.utf8)) else {
            throw .internal("certificate info: \(json)")
        }
        self.pem = pem
        self.expires = Date(timeIntervalSince1970: Double(info.expires) / 1000)
        self.fingerprints = info.fingerprints
    }

    /// A new certificate valid for `lifetime` (default 30 days, at most 365; W3C `expires`).
    public static func generate(_ algorithm: Algorithm = .ecdsaP256, lifetime: TimeInterval? = nil)
        throws(OmniRTCError) -> Certificate
    {
        var keygen: [String: Any]
        switch algorithm {
        case .ecdsaP256: keygen = ["name": "ECDSA", "namedCurve": "P-256"]
        case .rsa(let bits):
            keygen = ["name": "RSASSA-PKCS1-v1_5", "modulusLength": bits, "publicExponent": [1, 0, 1], "hash": "SHA-256"]
        }
        if let lifetime {
            guard lifetime >= 0 else { throw .invalidArgument("lifetime must not be negative") }
            keygen["expires"] = UInt64(lifetime * 1000)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: keygen) else { throw .internal("keygen JSON") }
        let text = String(decoding: data, as: UTF8.self)
        let pem = try callString { omnirtc_certificate_generate(text, $0) } ?? ""
        return try Certificate(pem: pem)
    }

    private struct Info: Decodable {
        var expires: Int64
        var fingerprints: [DTLSFingerprint]
    }
}

/// A certificate's fingerprint (W3C `RTCDtlsFingerprint`): the hash function
/// and the digest in lowercase hex, colon-separated.
public struct DTLSFingerprint: Sendable, Equatable, Decodable {
    public var algorithm: String
    public var value: String

    public init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }
}

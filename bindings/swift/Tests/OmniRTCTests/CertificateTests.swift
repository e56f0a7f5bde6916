import Foundation
import XCTest

@testable import OmniRTC

/// webrtc-pc 4.9 "Certificate Management", as Certificate has it.
final class CertificateTests: XCTestCase {
    private func offerFingerprint(_ certificate: Certificate) async throws -> DTLSFingerprint? {
        var config = loopback
        config.certificates = [certificate.pem]
        let pc = try PeerConnection(configuration: config)
        _ = try pc.createDataChannel(label: "x")
        let sdp = try await pc.createOffer().sdp
        try await pc.close()
        let line = sdp.split(whereSeparator: \.isNewline).first { $0.hasPrefix("a=fingerprint:") }
        let parts = line?.dropFirst("a=fingerprint:".count).split(separator: " ") ?? []
        return parts.count == 2 ? DTLSFingerprint(algorithm: String(parts[0]), value: parts[1].lowercased()) : nil
    }

    /// webrtc-pc 4.9.2: the SDP carries the certificate's fingerprint; 30 days by default.
    func testGeneratedCertificatesAnnounceTheirFingerprint() async throws {
        for algorithm in [Certificate.Algorithm.ecdsaP256, .rsa(modulusLength: 2048)] {
            let certificate = try Certificate.generate(algorithm)
            XCTAssertEqual(certificate.fingerprints.count, 1)
            XCTAssertEqual(certificate.fingerprints.first?.algorithm, "sha-256")
            let fingerprint = try await offerFingerprint(certificate)
            XCTAssertEqual(fingerprint, certificate.fingerprints.first)
            XCTAssertEqual(certificate.expires.timeIntervalSinceNow, 30 * 86_400, accuracy: 5)
            XCTAssertEqual(try Certificate(pem: certificate.pem), certificate)
        }
    }

    /// webrtc-pc 4.9.1 expires; 4.4.1 constructor: an expired certificate is InvalidAccessError.
    func testLifetimeIsHonouredAndAnExpiredCertificateIsRefused() throws {
        XCTAssertEqual(try Certificate.generate(lifetime: 3_600).expires.timeIntervalSinceNow, 3_600, accuracy: 5)
        let expired = try Certificate.generate(lifetime: 0)
        var config = loopback
        config.certificates = [expired.pem]
        XCTAssertThrowsError(try PeerConnection(configuration: config)) { error in
            guard case .invalidAccess = error as? OmniRTCError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Certificate.generate(.rsa(modulusLength: 512))) { error in
            guard case .notSupported = error as? OmniRTCError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Certificate(pem: "not a certificate"))
    }
}

import Foundation
import XCTest

@testable import OmniRTC

/// webrtc-pc 4.4.1.6 getConfiguration() / setConfiguration(), as Node and Python have them.
final class W3CConfigurationTests: XCTestCase {
    func testConfigurationReportsWhatWasGivenAndTheDefaultsWebrtcPc4416() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let config = try pc.configuration
        XCTAssertEqual(config.iceServers, [])
        XCTAssertEqual(config.iceTransportPolicy, .all)
        XCTAssertEqual(config.bundlePolicy, .balanced)
        XCTAssertEqual(config.iceCandidatePoolSize, 0)
        XCTAssertEqual(config.certificates, [])
        XCTAssertEqual(config.engine, loopback.engine)
        try pc.setConfiguration(config) // what it reports is taken back as it is
        try await pc.close()
    }

    func testSetConfigurationChangesIceServersAndRefusesTheRestWebrtcPc4416() async throws {
        let pc = try PeerConnection(configuration: loopback)
        var config = try pc.configuration
        config.iceServers = [IceServer(urls: ["stun:127.0.0.1:3478"]),
                             IceServer(urls: ["turn:127.0.0.1:3478"], username: "u", credential: "p")]
        try pc.setConfiguration(config)
        XCTAssertEqual(try pc.configuration.iceServers, config.iceServers)
        XCTAssertEqual(try pc.configuration.engine, loopback.engine, "the engine settings stay")

        func refused(_ edit: (inout Configuration) -> Void, _ expected: (OmniRTCError) -> Bool, _ what: String) throws {
            var changed = try pc.configuration
            edit(&changed)
            do {
                try pc.setConfiguration(changed)
                XCTFail("\(what) was accepted")
            } catch let error as OmniRTCError {
                XCTAssertTrue(expected(error), "\(what): \(error)")
            } catch {
                XCTFail("\(what): \(error)")
            }
            XCTAssertEqual(try pc.configuration.iceServers, config.iceServers, "\(what) changed nothing")
        }
        func isModification(_ e: OmniRTCError) -> Bool { if case .invalidModification = e { true } else { false } }
        try refused({ $0.bundlePolicy = .maxBundle }, isModification, "bundlePolicy")
        try refused({ $0.engine.includeLoopback = false }, isModification, "engine settings")
        try refused({ $0.certificates = [(try? Library.generateCertificate()) ?? ""] }, isModification, "certificates")
        try refused({ $0.iceServers = [IceServer(urls: ["stun.example.org"])] },
                    { if case .invalidSyntax = $0 { true } else { false } }, "a URL without a scheme")
        try refused({ $0.iceServers = [IceServer(urls: ["turn:127.0.0.1"])] },
                    { if case .invalidAccess = $0 { true } else { false } }, "TURN without credentials")

        _ = try pc.createDataChannel(label: "x")
        try await pc.setLocalDescription(try await pc.createOffer())
        try refused({ $0.iceCandidatePoolSize = 2 }, isModification, "iceCandidatePoolSize after setLocalDescription")
        // iceTransportPolicy may change once gathering began: it applies from the next gathering (ICE restart)
        var relay = try pc.configuration
        relay.iceTransportPolicy = .relay
        try pc.setConfiguration(relay)
        XCTAssertEqual(try pc.configuration.iceTransportPolicy, .relay)
        try await pc.close()
        XCTAssertThrowsError(try pc.setConfiguration(config))
    }

    func testIceServerUrlsDecodeFromAStringOrAList() throws {
        let config = try JSONDecoder().decode(
            Configuration.self,
            from: Data(#"{"iceServers":[{"urls":"stun:a"},{"urls":["stun:b","stun:c"]}],"rtcpMuxPolicy":"require","omnirtc":{"mdns":"disabled","futureKey":1}}"#.utf8))
        XCTAssertEqual(config.iceServers.map(\.urls), [["stun:a"], ["stun:b", "stun:c"]])
        XCTAssertEqual(config.engine.mdns, .disabled)
        XCTAssertEqual(config.engine.additional, ["futureKey": .number(1)])
    }
}

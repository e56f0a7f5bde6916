import Foundation
import XCTest

@testable import OmniRTC

final class ForwarderTests: XCTestCase {
    /// A simulcast publisher's layers reach a subscriber through a server peer, one layer at a time.
    func testForwarderSwitchesASubscriberBetweenSimulcastLayers() async throws {
        let rids = ["q", "h", "f"]
        let (publisher, server) = (try PeerConnection(configuration: loopback), try PeerConnection(configuration: loopback))
        let (out, subscriber) = (try PeerConnection(configuration: loopback), try PeerConnection(configuration: loopback))
        let source = try LocalTrack(codec: "vp8", rids: rids)
        try publisher.addTransceiver(track: source, direction: .sendonly, sendEncodings: rids.map { SendEncoding(rid: $0) })
        let forwarded = try LocalTrack(codec: "vp8", mode: .rtp)
        try out.addTrack(forwarded)
        try await connectMedia(publisher, server)
        try await connectMedia(out, subscriber)
        // Frame i of each layer ends with its rid; a keyframe every 10 frames.
        let feeding = Task {
            for i in 0... {
                for rid in rids {
                    let frame = Data([i % 10 == 0 ? 0 : 1]) + Data(count: 300) + Data(rid.utf8)
                    try source.write(sample: frame, duration: .milliseconds(33), rid: rid)
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let layer = try await next(server.tracks)
        let forwarder = try Forwarder(layer.transceiver)
        XCTAssertThrowsError(try Forwarder(layer.transceiver))
        XCTAssertThrowsError(try forwarder.addSubscriber(forwarded, layer: ForwarderLayer(rid: "x")))
        XCTAssertThrowsError(try forwarder.addSubscriber(forwarded, layer: ForwarderLayer(rid: "q", spatial: 8)))
        try forwarder.addSubscriber(forwarded, layer: ForwarderLayer(rid: "q", spatial: 0))
        XCTAssertEqual(try forwarder.layer(of: forwarded).spatial, 0)
        let remote = try await next(subscriber.tracks)
        let afterSwitch = try await within { () -> [String] in
            var frames = remote.frames.makeAsyncIterator()
            while let frame = await frames.next(), frame.data.last != UInt8(ascii: "q") {}
            try forwarder.setLayer(ForwarderLayer(rid: "f"), of: forwarded)
            var got: [String] = []
            while got.count < 5, let frame = await frames.next() {
                let tag = String(decoding: frame.data.suffix(1), as: UTF8.self)
                if tag == "f" || !got.isEmpty { got.append(tag) }
            }
            return got
        }
        XCTAssertEqual(afterSwitch, Array(repeating: "f", count: 5))
        let now = try forwarder.layer(of: forwarded)
        XCTAssertEqual(now.rid, "f")
        XCTAssertEqual(now.temporal, ForwarderLayer.allTemporal)
        XCTAssertEqual(now.spatial, ForwarderLayer.allSpatial)
        XCTAssertTrue(now.started)
        XCTAssertFalse(now.auto)
        try forwarder.setAuto(true, of: forwarded) // no estimate without "gcc": the layer set
        let auto = try forwarder.layer(of: forwarded)
        XCTAssertTrue(auto.auto)
        XCTAssertEqual(auto.targetRID, "f")
        XCTAssertEqual(auto.targetTemporal, ForwarderLayer.allTemporal)
        XCTAssertEqual(auto.targetSpatial, ForwarderLayer.allSpatial)
        XCTAssertEqual(auto.estimate, 0)
        try forwarder.removeSubscriber(forwarded)
        forwarder.close()
        feeding.cancel()
        for pc in [publisher, server, out, subscriber] { try await pc.close() }
        source.close()
        forwarded.close()
    }
}

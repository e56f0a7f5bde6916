import XCTest

@testable import OmniRTC

/// Library.setGC / gcSettings: the library's GOGC and GOMEMLIMIT (omnirtc_set_gc).
final class GCSettingsTests: XCTestCase {
    override func tearDown() {
        try? Library.setGC(GCSettings())
    }

    func testGCSettingsReflectWhatWasSet() throws {
        XCTAssertEqual(try Library.gcSettings(), GCSettings(percent: 100, memoryLimitBytes: 0))
        try Library.setGC(GCSettings(percent: 400, memoryLimitBytes: 512 << 20))
        XCTAssertEqual(try Library.gcSettings(), GCSettings(percent: 400, memoryLimitBytes: 512 << 20))
        try Library.setGC(GCSettings(percent: -1, memoryLimitBytes: 1 << 40))  // off but for the limit
        XCTAssertEqual(try Library.gcSettings(), GCSettings(percent: -1, memoryLimitBytes: 1 << 40))
    }

    func testBadSettingsAreInvalidArgumentsAndChangeNothing() throws {
        try Library.setGC(GCSettings(percent: 250, memoryLimitBytes: 1 << 26))
        for bad in [GCSettings(percent: 0), GCSettings(percent: -2), GCSettings(percent: 1_000_001),
                    GCSettings(percent: .min), GCSettings(memoryLimitBytes: -1)] {
            do {
                try Library.setGC(bad)
                XCTFail("\(bad) was accepted")
            } catch {
                guard case .invalidArgument = error else { return XCTFail("\(bad): \(error)") }
            }
        }
        XCTAssertEqual(try Library.gcSettings(), GCSettings(percent: 250, memoryLimitBytes: 1 << 26))
    }
}

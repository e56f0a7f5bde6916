/// A JSON object key by name: for objects whose keys are not a fixed enum
/// (engine settings, TURN server configuration, debug counters).
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

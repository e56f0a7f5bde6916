import COmniRTC

/// A failed call into the library: one case per `OMNIRTC_ERR_*` status, each
/// carrying the library's message (`omnirtc_last_error()`), which names the
/// offending key, option or state.
public enum OmniRTCError: Error, Sendable, Equatable {
    /// A bad value or option (W3C `TypeError`).
    case invalidArgument(String)
    /// A zero, unknown, closed or wrong-kind handle: the object was closed.
    case invalidHandle(String)
    /// Not allowed in the current state (W3C `InvalidStateError`).
    case invalidState(String)
    /// The configuration JSON is malformed or has an unknown key, type or value.
    case invalidConfig(String)
    /// A session description that is malformed or unacceptable.
    case invalidSDP(String)
    /// A malformed ICE candidate.
    case invalidCandidate(String)
    /// A message or input over its maximum size.
    case tooLarge(String)
    /// The engine could not do it (W3C `OperationError`), or a channel reported an error.
    case operation(String)
    /// Called in a child process forked after the library was loaded.
    case forked(String)
    /// A bug in OmniRTC; the process is still safe.
    case `internal`(String)
    /// A valid request this build cannot do (W3C `NotSupportedError`).
    case notSupported(String)
    /// Malformed text in a valid place, as an ICE server URL (W3C `SyntaxError`).
    case invalidSyntax(String)
    /// Well-formed but unusable, as a TURN URL without credentials (W3C `InvalidAccessError`).
    case invalidAccess(String)
    /// A change the object does not allow (W3C `InvalidModificationError`).
    case invalidModification(String)
    /// A character the call does not accept, as a DTMF tone (W3C `InvalidCharacterError`).
    case invalidCharacter(String)
    /// A status this version of the binding does not know.
    case unknown(status: Int32, message: String)

    /// Maps a status and message to its case.
    public init(status: Int32, message: String) {
        switch Int(status) {
        case OMNIRTC_ERR_INVALID_ARGUMENT: self = .invalidArgument(message)
        case OMNIRTC_ERR_INVALID_HANDLE: self = .invalidHandle(message)
        case OMNIRTC_ERR_INVALID_STATE: self = .invalidState(message)
        case OMNIRTC_ERR_INVALID_CONFIG: self = .invalidConfig(message)
        case OMNIRTC_ERR_INVALID_SDP: self = .invalidSDP(message)
        case OMNIRTC_ERR_INVALID_CANDIDATE: self = .invalidCandidate(message)
        case OMNIRTC_ERR_TOO_LARGE: self = .tooLarge(message)
        case OMNIRTC_ERR_OPERATION: self = .operation(message)
        case OMNIRTC_ERR_FORKED: self = .forked(message)
        case OMNIRTC_ERR_INTERNAL: self = .internal(message)
        case OMNIRTC_ERR_NOT_SUPPORTED: self = .notSupported(message)
        case OMNIRTC_ERR_INVALID_SYNTAX: self = .invalidSyntax(message)
        case OMNIRTC_ERR_INVALID_ACCESS: self = .invalidAccess(message)
        case OMNIRTC_ERR_INVALID_MODIFICATION: self = .invalidModification(message)
        case OMNIRTC_ERR_INVALID_CHARACTER: self = .invalidCharacter(message)
        default: self = .unknown(status: status, message: message)
        }
    }

    /// The library's status code (`OMNIRTC_ERR_*`).
    public var status: Int32 {
        switch self {
        case .invalidArgument: Int32(OMNIRTC_ERR_INVALID_ARGUMENT)
        case .invalidHandle: Int32(OMNIRTC_ERR_INVALID_HANDLE)
        case .invalidState: Int32(OMNIRTC_ERR_INVALID_STATE)
        case .invalidConfig: Int32(OMNIRTC_ERR_INVALID_CONFIG)
        case .invalidSDP: Int32(OMNIRTC_ERR_INVALID_SDP)
        case .invalidCandidate: Int32(OMNIRTC_ERR_INVALID_CANDIDATE)
        case .tooLarge: Int32(OMNIRTC_ERR_TOO_LARGE)
        case .operation: Int32(OMNIRTC_ERR_OPERATION)
        case .forked: Int32(OMNIRTC_ERR_FORKED)
        case .internal: Int32(OMNIRTC_ERR_INTERNAL)
        case .notSupported: Int32(OMNIRTC_ERR_NOT_SUPPORTED)
        case .invalidSyntax: Int32(OMNIRTC_ERR_INVALID_SYNTAX)
        case .invalidAccess: Int32(OMNIRTC_ERR_INVALID_ACCESS)
        case .invalidModification: Int32(OMNIRTC_ERR_INVALID_MODIFICATION)
        case .invalidCharacter: Int32(OMNIRTC_ERR_INVALID_CHARACTER)
        case .unknown(let status, _): status
        }
    }

    /// The library's message.
    public var message: String {
        switch self {
        case .invalidArgument(let m), .invalidHandle(let m), .invalidState(let m), .invalidConfig(let m),
            .invalidSDP(let m), .invalidCandidate(let m), .tooLarge(let m), .operation(let m), .forked(let m),
            .internal(let m), .notSupported(let m), .invalidSyntax(let m), .invalidAccess(let m),
            .invalidModification(let m), .invalidCharacter(let m), .unknown(_, let m):
            m
        }
    }
}

extension OmniRTCError: CustomStringConvertible {
    public var description: String {
        "\(String(cString: omnirtc_status_string(status))): \(message)"
    }
}

/// Throws the error of a failed call. Call it right after the call, on the
/// same thread (no `await` in between): the message is thread-local.
func check(_ status: omnirtc_status_t) throws(OmniRTCError) {
    guard status != Int32(OMNIRTC_OK) else { return }
    throw OmniRTCError(status: status, message: String(cString: omnirtc_last_error()))
}

/// Runs a call that returns a library-allocated string and takes ownership of it.
func callString(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> omnirtc_status_t) throws(OmniRTCError)
    -> String?
{
    var out: UnsafeMutablePointer<CChar>?
    try check(call(&out))
    return takeString(out)
}

/// Copies and frees a string returned by the library (nil stays nil).
func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { omnirtc_free(pointer) }
    return String(cString: pointer)
}

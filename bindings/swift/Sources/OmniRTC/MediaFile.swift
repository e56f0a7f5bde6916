import COmniRTC
import Foundation

/// What a media file holds (``MediaReader/info``).
public struct MediaFileInfo: Sendable, Equatable, Decodable {
    /// "ivf", "ogg" or "h264".
    public var format: String
    /// A MIME type for ``LocalTrack/init(codec:id:streamId:mode:rids:)``.
    public var codec: String
    public var width: Int?
    public var height: Int?
    public var frameCount: Int?
    public var channels: Int?
    public var sampleRate: Int?
}

/// One frame of a media file (an Opus packet for Ogg, an Annex-B access unit for H264).
public struct MediaFrame: Sendable, Equatable {
    public var data: Data
    public var duration: Duration
    public var keyframe: Bool
}

/// Reads encoded frames from an IVF (VP8/VP9/AV1), Ogg/Opus or H264 Annex-B
/// file, to feed a ``LocalTrack``. A `Sequence` of frames (iteration stops at
/// the end or at a corrupt frame: ``next()`` throws instead).
public final class MediaReader: Sendable, Sequence {
    private let handle: Locked<omnirtc_media_reader_t>
    public let info: MediaFileInfo

    private struct Options: Encodable {
        var format: String?
        var fps: Int?
    }

    /// Opens `path`; `format` ("ivf", "ogg", "h264") defaults to the
    /// extension's, `fps` is an H264 file's frame rate (default 30). Throws
    /// ``OmniRTCError/operation(_:)`` when it cannot be opened,
    /// ``OmniRTCError/invalidArgument(_:)`` when it is not such a file.
    public init(path: String, format: String? = nil, fps: Int? = nil) throws(OmniRTCError) {
        let options: String?
        do {
            options = format == nil && fps == nil ? nil : try encodeJSON(Options(format: format, fps: fps))
        } catch {
            throw .invalidArgument("reader options: \(error)")
        }
        var handle: omnirtc_media_reader_t = 0
        var infoJSON: UnsafeMutablePointer<CChar>?
        try check(omnirtc_media_reader_open(path, options, &handle, &infoJSON))
        let text = takeString(infoJSON) ?? "{}"
        guard let info = try? JSONDecoder().decode(MediaFileInfo.self, from: Data(text.utf8)) else {
            _ = omnirtc_media_reader_close(handle)
            throw .internal("media file info: \(text)")
        }
        self.handle = Locked(handle)
        self.info = info
    }

    deinit { close() }

    /// The next frame, nil at the end of the file. Throws
    /// ``OmniRTCError/invalidArgument(_:)`` for a corrupt file,
    /// ``OmniRTCError/invalidHandle(_:)`` once closed.
    public func next() throws(OmniRTCError) -> MediaFrame? {
        try handle.withLock { (h: inout omnirtc_media_reader_t) throws(OmniRTCError) -> MediaFrame? in
            var data: UnsafeMutablePointer<UInt8>?
            var size = 0
            var micros: UInt64 = 0
            var keyframe: Int32 = 0
            try check(omnirtc_media_reader_next(h, &data, &size, &micros, &keyframe))
            guard let data else { return nil }
            defer { omnirtc_free(data) }
            return MediaFrame(data: Data(bytes: data, count: size), duration: .microseconds(Int64(micros)), keyframe: keyframe != 0)
        }
    }

    /// The frames left in the file.
    public func makeIterator() -> AnyIterator<MediaFrame> {
        AnyIterator { try? self.next() }
    }

    /// Closes the file. Closing again does nothing.
    public func close() {
        handle.withLock { h in
            if h != 0 { _ = omnirtc_media_reader_close(h) }
            h = 0
        }
    }
}

/// Records RTP packets (for example a ``RemoteTrack``'s ``RemoteTrack/rtpPackets``)
/// into an IVF, Ogg/Opus or H264 Annex-B file.
public final class MediaWriter: Sendable {
    private let handle: Locked<omnirtc_media_writer_t>

    /// File options; nil fields take the library's defaults.
    public struct Options: Sendable, Equatable, Encodable {
        /// "ivf", "ogg", "h264": default from the extension.
        public var format: String?
        /// IVF: "vp8", "vp9" or "av1".
        public var codec: String?
        public var width: Int?
        public var height: Int?
        /// Ogg.
        public var sampleRate: Int?
        public var channels: Int?

        public init(format: String? = nil, codec: String? = nil, width: Int? = nil, height: Int? = nil,
                    sampleRate: Int? = nil, channels: Int? = nil) {
            (self.format, self.codec, self.width, self.height, self.sampleRate, self.channels) =
                (format, codec, width, height, sampleRate, channels)
        }
    }

    /// Creates `path`. Throws ``OmniRTCError/operation(_:)`` when it cannot,
    /// ``OmniRTCError/invalidArgument(_:)`` for a bad option.
    public init(path: String, options: Options = Options()) throws(OmniRTCError) {
        let json: String
        do { json = try encodeJSON(options) } catch { throw .invalidArgument("writer options: \(error)") }
        var handle: omnirtc_media_writer_t = 0
        try check(omnirtc_media_writer_open(path, json, &handle))
        self.handle = Locked(handle)
    }

    deinit { try? close() }

    /// Records one RTP packet. Throws ``OmniRTCError/invalidArgument(_:)`` for
    /// malformed RTP, ``OmniRTCError/operation(_:)`` when writing fails.
    public func write(rtp packet: Data) throws(OmniRTCError) {
        try handle.withLock { (h: inout omnirtc_media_writer_t) throws(OmniRTCError) in
            let status = packet.withUnsafeBytes { omnirtc_media_writer_write_rtp(h, $0.baseAddress, $0.count) }
            try check(status)
        }
    }

    /// Finishes and closes the file. Closing again does nothing.
    public func close() throws(OmniRTCError) {
        try handle.withLock { (h: inout omnirtc_media_writer_t) throws(OmniRTCError) in
            guard h != 0 else { return }
            defer { h = 0 }
            try check(omnirtc_media_writer_close(h))
        }
    }
}

/*
 * omnirtc.h — the OmniRTC C API.
 *
 * One memory-safe WebRTC engine (Go, on pion/webrtc v4) behind flat functions
 * over opaque, typed, never-reused 64-bit handles.
 *
 * Conventions (apply to every function below unless its comment says otherwise):
 *
 *  - Status.  Every fallible function returns omnirtc_status_t: OMNIRTC_OK (0)
 *    or a negative OMNIRTC_ERR_* code.  omnirtc_last_error() then returns a
 *    human-readable message for the last failure on the calling thread.
 *    Out-parameters are written only on success.
 *  - Handles.  Zero is never valid.  Ids are never reused in a process, so a
 *    closed (stale) handle, an unknown one, or a handle of the wrong kind is
 *    reported as OMNIRTC_ERR_INVALID_HANDLE, never mistaken for another object.
 *  - Strings in: UTF-8, NUL-terminated, borrowed for the duration of the call.
 *    Binary payloads in: pointer + length, copied before the call returns.
 *  - Strings out (char **): allocated by the library, released by the caller
 *    with omnirtc_free().  A NULL result means "none" where documented.
 *  - Threads.  Every function may be called from any thread.  No function
 *    blocks on the network; completion is reported by an event.
 *  - Callbacks run on library-owned threads, never on the caller's thread
 *    inside an API call.  Events of one peer connection (and its data
 *    channels) are delivered one at a time, in order.  No library lock is held
 *    while a callback runs: any function, including close, may be called from
 *    inside a callback, and a close called there never waits, so peers that
 *    close one another from their callbacks cannot deadlock (see
 *    omnirtc_peer_close).  Pointers inside an event are valid only during the
 *    callback; copy what you keep.
 *  - Polled mode.  A peer made with omnirtc_peer_create_polled has no event
 *    callback: a notify callback (omnirtc_notify_cb) wakes the host, which
 *    takes the events in batches on a thread of its own with
 *    omnirtc_peer_poll_events; a batch stays valid until the next poll.  Both
 *    modes share one bounded queue per peer (4 MiB of messages and polled
 *    media): while it is full the channels stop reading and the remote's flow
 *    control pushes back, so nothing sent reliably is lost.
 *  - Configuration and options are JSON text mirroring the W3C dictionaries.
 *    Unknown keys and wrong types are errors whose message names the key.
 *  - fork(): the library must not be used in a child forked after it was
 *    loaded; every call there returns OMNIRTC_ERR_FORKED.
 */
#ifndef OMNIRTC_H
#define OMNIRTC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================== */
/* Library                                                                */
/* ===================================================================== */

#define OMNIRTC_VERSION_MAJOR 0
#define OMNIRTC_VERSION_MINOR 3
#define OMNIRTC_VERSION_PATCH 0
#define OMNIRTC_VERSION "0.3.0"

typedef int32_t omnirtc_status_t;
typedef uint64_t omnirtc_peer_t;
typedef uint64_t omnirtc_channel_t;
typedef uint64_t omnirtc_track_t;       /* a local track, or a remote track of a peer */
typedef uint64_t omnirtc_transceiver_t; /* an RTCRtpTransceiver (with its sender and receiver) */
typedef uint64_t omnirtc_media_reader_t;
typedef uint64_t omnirtc_media_writer_t;

/* Status codes.  Never renumbered; new codes are only added. */
enum {
	OMNIRTC_OK = 0,
	OMNIRTC_ERR_INVALID_ARGUMENT = -1,  /* NULL pointer, bad value, invalid UTF-8, bad option (W3C TypeError) */
	OMNIRTC_ERR_INVALID_HANDLE = -2,    /* zero, unknown, closed or wrong-kind handle */
	OMNIRTC_ERR_INVALID_STATE = -3,     /* not allowed in the current state (W3C InvalidStateError) */
	OMNIRTC_ERR_INVALID_CONFIG = -4,    /* configuration JSON malformed, unknown key, wrong type or value */
	OMNIRTC_ERR_INVALID_SDP = -5,       /* session description malformed or unacceptable */
	OMNIRTC_ERR_INVALID_CANDIDATE = -6, /* ICE candidate malformed */
	OMNIRTC_ERR_TOO_LARGE = -7,         /* message or input over its maximum size */
	OMNIRTC_ERR_OPERATION = -8,         /* the engine could not do it (W3C OperationError) */
	OMNIRTC_ERR_FORKED = -9,            /* called in a child process forked after load */
	OMNIRTC_ERR_INTERNAL = -10,         /* a bug in OmniRTC; the process is still safe */
	OMNIRTC_ERR_NOT_SUPPORTED = -11,    /* valid request this build cannot do (W3C NotSupportedError) */
	OMNIRTC_ERR_INVALID_SYNTAX = -12,   /* malformed text in its place, as an ICE server URL (W3C SyntaxError) */
	OMNIRTC_ERR_INVALID_ACCESS = -13,   /* well-formed, unusable: an expired certificate (W3C InvalidAccessError) */
	OMNIRTC_ERR_INVALID_MODIFICATION = -14, /* a change not allowed once made (W3C InvalidModificationError) */
	OMNIRTC_ERR_INVALID_CHARACTER =
	    -15 /* a character the call does not accept, as a DTMF tone (W3C InvalidCharacterError) */
};

/*
 * omnirtc_version — the library's version string, for example "0.1.0".
 * Static storage: never free it.  Compare with OMNIRTC_VERSION to detect a
 * header/library mismatch.  Any thread.
 */
const char *omnirtc_version(void);

/*
 * omnirtc_status_string — the name of a status code ("OMNIRTC_ERR_INVALID_HANDLE"),
 * or "OMNIRTC_ERR_UNKNOWN" for a code this version does not know.
 * Static storage: never free it.  Any thread.
 */
const char *omnirtc_status_string(omnirtc_status_t status);

/*
 * omnirtc_last_error — the message of the last failed call on this thread
 * ("" if none).  Valid until the next failing call on this thread; do not free.
 * Read it right after the failing call, on the same thread.  A message is at
 * most about 1 KiB: it quotes bad input by its first 64 bytes and its length.
 * It is freed when its thread exits.
 */
const char *omnirtc_last_error(void);

/*
 * omnirtc_free — release a string or buffer returned by this library.
 * NULL is accepted and ignored.  Any thread.
 */
void omnirtc_free(void *ptr);

/* Log levels for omnirtc_set_log_callback. */
enum {
	OMNIRTC_LOG_NONE = 0,
	OMNIRTC_LOG_ERROR = 1,
	OMNIRTC_LOG_WARNING = 2,
	OMNIRTC_LOG_INFO = 3,
	OMNIRTC_LOG_DEBUG = 4,
	OMNIRTC_LOG_TRACE = 5
};

/*
 * Log callback.  scope names the subsystem ("ice", "dtls", "sctp", "omnirtc"…),
 * message is one line.  Both strings are valid only during the call.
 */
typedef void (*omnirtc_log_cb)(void *user_data, int32_t level, const char *scope, const char *message);

/*
 * omnirtc_set_log_callback — route the engine's logging (pion's included) to cb,
 * for messages at `level` or more severe.  Pass cb = NULL or level =
 * OMNIRTC_LOG_NONE to silence logging (the default).  Applies to peer
 * connections created afterwards.  The callback runs on one library thread,
 * one message at a time; when the host cannot keep up, messages are dropped
 * rather than slowing the engine.  Once this returns, the previous callback
 * is not called again (the messages it was not given yet are dropped): it
 * waits for a call in progress, except when made from inside that callback,
 * which is then its last call.  Any thread, the callback included.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT for a level outside 0..5.
 */
omnirtc_status_t omnirtc_set_log_callback(int32_t level, omnirtc_log_cb cb, void *user_data);

/*
 * omnirtc_debug_counters — a JSON object for leak checks:
 *   {"handles":{"peer":N,"channel":N}, "goroutines":N, "sockets":N,
 *    "peers":N, "queuedEvents":N, "heldBatches":N, "logsDropped":N,
 *    "channelPauses":N, "errorMessages":N, "gcPauses":[[S,N],...],
 *    "heapBytes":N, "stackBytes":N}
 * `heldBatches` counts the event batches of polled peers whose memory the
 * library keeps for the host until its next omnirtc_peer_poll_events;
 * `sockets` counts the process's open socket descriptors; `channelPauses`
 * the times a channel went from reading to paused (see
 * omnirtc_channel_set_paused), since the library loaded; `errorMessages`
 * the threads holding an omnirtc_last_error message; `gcPauses` the Go
 * collector's stop-the-world pauses since the library loaded (runtime/metrics
 * /sched/pauses/total/gc:seconds) as [upper bound in seconds, count] per
 * non-empty bucket, shortest first: subtract two readings for a window's
 * percentiles; `heapBytes` the Go heap live at the last collection and
 * `stackBytes` the memory reserved for goroutine stacks (runtime/metrics
 * /gc/heap/live:bytes and /memory/classes/heap/stacks:bytes).  *json_out is
 * released with omnirtc_free().
 */
omnirtc_status_t omnirtc_debug_counters(char **json_out);

/*
 * omnirtc_generate_certificate — a new ECDSA P-256 certificate and private key
 * as one PEM text, valid for 30 days (omnirtc_certificate_generate with
 * keygen_json NULL).  Store it and pass it in "certificates" so a peer keeps
 * its DTLS identity (and fingerprint) across runs.  Release with omnirtc_free().
 */
omnirtc_status_t omnirtc_generate_certificate(char **pem_out);

/*
 * omnirtc_certificate_generate — W3C RTCPeerConnection.generateCertificate:
 * a new certificate and private key as one PEM text for "certificates".
 *
 * keygen_json: NULL or "" for ECDSA P-256, else the keygenAlgorithm as JSON:
 *   {"name":"ECDSA","namedCurve":"P-256"} or
 *   {"name":"RSASSA-PKCS1-v1_5","modulusLength":2048,"publicExponent":[1,0,1],
 *    "hash":"SHA-256"}
 *   plus "expires": the lifetime in milliseconds from now (default 30 days,
 *   at most 365 days; 0 makes a certificate that has already expired).
 *   Names match case-insensitively, as in WebCrypto; RSA takes
 *   modulusLength 1024..4096, only exponent 65537 and only SHA-256.
 * pem_out: receives the PEM text; release it with omnirtc_free().
 *
 * Any thread; an RSA key takes up to a second or so to make, on the calling
 * thread.  Errors: OMNIRTC_ERR_INVALID_ARGUMENT (pem_out NULL, JSON
 * malformed, an unknown key, no "name"), OMNIRTC_ERR_NOT_SUPPORTED (an
 * algorithm, curve, size, exponent or hash this library cannot make: W3C
 * NotSupportedError).
 */
omnirtc_status_t omnirtc_certificate_generate(const char *keygen_json, char **pem_out);

/*
 * omnirtc_certificate_info — what W3C RTCCertificate shows of a certificate
 * given as PEM text with its private key (as "certificates" takes it):
 *   {"expires":<ms since 1970-01-01T00:00:00Z>,
 *    "fingerprints":[{"algorithm":"sha-256","value":"ab:cd:…"}]}
 * The fingerprints are the ones a peer made with this certificate puts in its
 * SDP (a=fingerprint), lowercase hex as W3C RTCDtlsFingerprint says.
 * pem: borrowed for the call.  json_out: release with omnirtc_free().
 * Any thread.  Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL argument, or pem
 * without a certificate and its private key).  An expired certificate is no
 * error here; omnirtc_peer_create refuses it (OMNIRTC_ERR_INVALID_ACCESS).
 */
omnirtc_status_t omnirtc_certificate_info(const char *pem, char **json_out);

/*
 * omnirtc_shutdown — close every open peer connection (as omnirtc_peer_close),
 * TURN server (as omnirtc_turn_server_close) and WHIP handle (as
 * omnirtc_whip_close) and stop logging.  Safe to call more than once; the library stays usable.
 * Call it before the process exits while callbacks may be in flight: from a
 * thread that is not running a callback it returns once every PEER_CLOSED,
 * also of closes already under way, was delivered, and no notify of a polled
 * peer, TURN server or WHIP handle runs or will start (their final events stay queued, to
 * be polled or left); called from inside a callback it does not wait, as
 * omnirtc_peer_close.  So once it returns no callback of the library reaches
 * a host that tears itself down.
 */
omnirtc_status_t omnirtc_shutdown(void);

/*
 * omnirtc_set_engine_threads — how many threads may run the library's Go code
 * at once (Go's GOMAXPROCS), process-wide, from now on.  threads = 0 restores
 * the default: GOMAXPROCS from the environment when set, else the number of
 * cores + 2, which leaves room for host threads that call in once per message
 * (a thread that calls in waits for one of these slots).  A host that batches
 * its calls (omnirtc_channel_send_batch; the Node binding) does better with
 * one per core: the extra ones cost CPU in bulk transfers on a loaded machine.
 * previous_out, if not NULL, receives the value before the call.  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT for threads < 0 or > 1024.
 */
omnirtc_status_t omnirtc_set_engine_threads(int32_t threads, int32_t *previous_out);

/*
 * omnirtc_set_gc — the library's garbage collector settings, process-wide,
 * from now on: Go's GOGC and GOMEMLIMIT, which a host cannot put in the
 * environment before the library loads (the runtime reads them then, and they
 * stay the defaults until this call).  percent is GOGC: a collection starts
 * when the heap has grown by percent % over the live data (Go's default 100;
 * higher means fewer collections and more memory), or -1 for off.
 * memory_limit_bytes is GOMEMLIMIT, a soft limit on all the runtime's memory
 * that makes the collector work harder near it, or 0 for none (the default).
 * percent -1 with a limit collects only near the limit; -1 with no limit
 * never collects.  Applied with runtime/debug.SetGCPercent and
 * SetMemoryLimit; BENCHMARKS.md ("latency") measures the effect on pauses and
 * RSS.  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT for percent 0, below -1 or above
 * 1000000, or a negative memory_limit_bytes (nothing is changed then).
 */
omnirtc_status_t omnirtc_set_gc(int32_t percent, int64_t memory_limit_bytes);

/*
 * omnirtc_get_gc — the collector settings in force: *percent_out as
 * omnirtc_set_gc's percent (-1 for off; GOGC from the environment or 100
 * until set) and *memory_limit_bytes_out as its limit (0 for none).  Either
 * out-pointer may be NULL.  Any thread.
 */
omnirtc_status_t omnirtc_get_gc(int32_t *percent_out, int64_t *memory_limit_bytes_out);

/* ===================================================================== */
/* Events                                                                 */
/* ===================================================================== */

typedef enum omnirtc_event_type {
	/* peer connection */
	OMNIRTC_EVENT_ICE_CANDIDATE = 1,
	OMNIRTC_EVENT_ICE_GATHERING_STATE = 2,
	OMNIRTC_EVENT_ICE_CONNECTION_STATE = 3,
	OMNIRTC_EVENT_CONNECTION_STATE = 4,
	OMNIRTC_EVENT_SIGNALING_STATE = 5,
	OMNIRTC_EVENT_NEGOTIATION_NEEDED = 6,
	OMNIRTC_EVENT_DATA_CHANNEL = 7,
	OMNIRTC_EVENT_PEER_CLOSED = 8,
	OMNIRTC_EVENT_TRANSPORT_STATE = 9,
	OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR = 10,
	/* data channel */
	OMNIRTC_EVENT_CHANNEL_OPEN = 20,
	OMNIRTC_EVENT_CHANNEL_MESSAGE = 21,
	OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW = 22,
	OMNIRTC_EVENT_CHANNEL_ERROR = 23,
	OMNIRTC_EVENT_CHANNEL_CLOSING = 24,
	OMNIRTC_EVENT_CHANNEL_CLOSE = 25,
	/* media (see "Track" below) */
	OMNIRTC_EVENT_TRACK = 40,
	OMNIRTC_EVENT_TRACK_RTP = 41,
	OMNIRTC_EVENT_TRACK_FRAME = 42,
	OMNIRTC_EVENT_TRACK_ENDED = 43,
	OMNIRTC_EVENT_KEYFRAME_REQUEST = 44,
	OMNIRTC_EVENT_TARGET_BITRATE = 45,
	OMNIRTC_EVENT_DTMF_TONE_CHANGE = 46,
	OMNIRTC_EVENT_DTMF_TONE = 47,
	OMNIRTC_EVENT_TRACK_MUTE = 48,
	OMNIRTC_EVENT_TRACK_UNMUTE = 49
} omnirtc_event_type_t;

/* OMNIRTC_EVENT_KEYFRAME_REQUEST: how the remote asked (keyframe_request.kind) */
enum {
	OMNIRTC_KEYFRAME_PLI = 0, /* Picture Loss Indication (RFC 4585) */
	OMNIRTC_KEYFRAME_FIR = 1  /* Full Intra Request (RFC 5104) */
};

/* OMNIRTC_EVENT_TARGET_BITRATE: where the target comes from (target_bitrate.source) */
enum {
	OMNIRTC_BITRATE_SOURCE_GCC = 0, /* the "gcc" interceptor's estimate, for everything the peer sends */
	OMNIRTC_BITRATE_SOURCE_REMB = 1 /* a REMB from the remote receiver, for the streams streams_json lists */
};

/*
 * One event: its type, its peer, and the union member of its type, which is
 * the only member to read.  The struct and everything it points to are valid
 * only during the callback (polled: until the next omnirtc_peer_poll_events).
 * Strings are UTF-8 and NUL-terminated, never NULL; data is not
 * NUL-terminated (NULL when size is 0).
 *
 * type                         member            fields
 * ---------------------------  ----------------  --------------------------------------------------
 * ICE_CANDIDATE                ice_candidate     candidate: the candidate line, "" at end of
 *                                                candidates; sdp_mid (may be ""); sdp_mline_index
 * ICE_GATHERING_STATE          state             value: OMNIRTC_ICE_GATHERING_*; name: its W3C name;
 *                                                gathering: the gathering's number
 *                                                (omnirtc_peer_get_gatherings)
 * ICE_CONNECTION_STATE         state             value: OMNIRTC_ICE_CONNECTION_*; name; gathering 0
 * CONNECTION_STATE             state             value: OMNIRTC_PEER_*; name; gathering 0
 * SIGNALING_STATE              state             value: OMNIRTC_SIGNALING_*; name; gathering 0
 * NEGOTIATION_NEEDED           -
 * DATA_CHANNEL                 channel           channel: a new handle for a channel the remote
 *                                                opened, already open (it may send); its
 *                                                CHANNEL_OPEN follows (W3C "announce the
 *                                                RTCDataChannel as open"); info_json: as in
 *                                                CHANNEL_OPEN
 * PEER_CLOSED                  -                 final event: the peer and its channel handles are
 *                                                already released
 * TRANSPORT_STATE              transport_state   transport: OMNIRTC_TRANSPORT_DTLS / _SCTP; value:
 *                                                its OMNIRTC_DTLS_TRANSPORT_* /
 *                                                OMNIRTC_SCTP_TRANSPORT_* state; name: its W3C name
 *                                                (see omnirtc_peer_get_transports)
 * SELECTED_CANDIDATE_PAIR      selected_pair     local, remote: the candidate lines
 *                                                ("candidate:…") of the pair ICE now uses
 * CHANNEL_OPEN                 channel           channel; info_json: its omnirtc_channel_get_info
 *                                                as it opened, id included, for a host that
 *                                                takes the event after the channel closed and
 *                                                its handle was released; "" in the other
 *                                                events of this member
 * CHANNEL_MESSAGE              message           channel; data, size: the payload; binary: 1
 *                                                binary, 0 UTF-8 text
 * CHANNEL_BUFFERED_AMOUNT_LOW  channel           channel
 * CHANNEL_ERROR                channel_error     channel; message: what failed
 * CHANNEL_CLOSING              channel           channel: the remote started closing it
 * CHANNEL_CLOSE                channel           channel: final event, its handle is already
 *                                                released; until the host is given it (its
 *                                                callback starts, or the poll that returns it,
 *                                                whose batch it starts) the channel reads
 *                                                OMNIRTC_CHANNEL_CLOSING, never CLOSED (W3C
 *                                                webrtc-pc 6.2: closed with the close event)
 * TRACK                        track             track: a remote track, muted (W3C webrtc-pc
 *                                                4.4.1.6): a new handle, or the same one when a
 *                                                description announces again a track whose
 *                                                remote had stopped sending it (TRACK_MUTE);
 *                                                transceiver; rid: its simulcast layer, "" for
 *                                                none; info_json: {"id","streamIds":[],"kind",
 *                                                "rid","ssrc","mid","codec":{"payloadType",
 *                                                "mimeType","clockRate","channels","sdpFmtpLine"}}
 *                                                as the remote description tells it (ssrc and
 *                                                codec: its first; omnirtc_track_get_info tells
 *                                                the received ones after TRACK_UNMUTE)
 * TRACK_RTP                    rtp               track; data, size: one RTP packet (receive mode
 *                                                "rtp"); rtp_timestamp; spatial_id, temporal_id:
 *                                                its SVC layer as its VP9 payload descriptor or
 *                                                AV1 Dependency Descriptor extension says, -1
 *                                                when it says none (another codec, AV1 without
 *                                                the extension, no layer indices); keyframe: 1
 *                                                if its frame refers to no earlier one;
 *                                                switch_point: 1 if a receiver of only the
 *                                                lower layers can switch up to its layer at
 *                                                its frame; both -1 when the packet has no
 *                                                descriptor (these four fill bytes the union
 *                                                had spare: omnirtc_event_t kept its size)
 * TRACK_FRAME                  frame             track; data, size: one frame (receive mode
 *                                                "frames"); rtp_timestamp; keyframe: 1 if it
 *                                                decodes on its own (audio: always);
 *                                                packets_dropped: received RTP packets the frame
 *                                                assembler discarded since the previous frame
 *                                                because their frame could not be completed
 * TRACK_ENDED                  track_ended       track: final event of the remote track (its
 *                                                transceiver stopped), its handle is already
 *                                                released
 * TRACK_MUTE                   track_mute        track: a description stopped its remote
 *                                                sending it, or its stream stopped (W3C muted)
 * TRACK_UNMUTE                 track_mute        track: its first packet arrived (after each
 *                                                TRACK); media events follow
 * KEYFRAME_REQUEST             keyframe_request  transceiver: the sender the remote asked for a
 *                                                keyframe; rid: its layer, "" for none;
 *                                                kind: OMNIRTC_KEYFRAME_PLI / _FIR
 * TARGET_BITRATE               target_bitrate    bits_per_second: a new send bitrate target;
 *                                                source: OMNIRTC_BITRATE_SOURCE_*; streams_json:
 *                                                {"source":"gcc"|"remb","ssrcs":[…],"mids":[…]}
 *                                                (see "Track": interceptors)
 * DTMF_TONE_CHANGE             dtmf_tone_change  transceiver: an audio sender whose DTMF (see
 *                                                omnirtc_transceiver_insert_dtmf) started
 *                                                playing tone ("0"-"9", "A"-"D", "#", "*", ","),
 *                                                or "" when its tone buffer ran empty (W3C
 *                                                tonechange)
 * DTMF_TONE                    dtmf_tone         track: a remote audio track that received an
 *                                                RFC 4733 DTMF event: tone ("0"-"9", "A"-"D",
 *                                                "#", "*"), duration_ms: how long it lasted; one
 *                                                event per tone, when its end arrives.  Its
 *                                                packets are not audio: receive mode "frames"
 *                                                never delivers them ("rtp" does, as packets)
 *
 * The union is anonymous: e->message.data, e->state.name.  Each member is
 * also a named struct type (struct omnirtc_event_message…).
 */
typedef struct omnirtc_event {
	int32_t type;        /* omnirtc_event_type_t */
	omnirtc_peer_t peer; /* always set */
	union {
		struct omnirtc_event_ice_candidate {
			const char *candidate;
			const char *sdp_mid;
			int32_t sdp_mline_index;
		} ice_candidate;
		struct omnirtc_event_state {
			int32_t value;
			const char *name;
			int64_t gathering;
		} state;
		struct omnirtc_event_channel {
			omnirtc_channel_t channel;
			const char *info_json;
		} channel;
		struct omnirtc_event_transport_state {
			int32_t transport;
			int32_t value;
			const char *name;
		} transport_state;
		struct omnirtc_event_selected_pair {
			const char *local;
			const char *remote;
		} selected_pair;
		struct omnirtc_event_message {
			omnirtc_channel_t channel;
			const uint8_t *data;
			size_t size;
			int32_t binary;
		} message;
		struct omnirtc_event_channel_error {
			omnirtc_channel_t channel;
			const char *message;
		} channel_error;
		struct omnirtc_event_track {
			omnirtc_track_t track;
			omnirtc_transceiver_t transceiver;
			const char *rid;
			const char *info_json;
		} track;
		struct omnirtc_event_rtp {
			omnirtc_track_t track;
			const uint8_t *data;
			size_t size;
			uint32_t rtp_timestamp;
			int16_t spatial_id;
			int16_t temporal_id;
			int32_t keyframe;
			int32_t switch_point;
		} rtp;
		struct omnirtc_event_frame {
			omnirtc_track_t track;
			const uint8_t *data;
			size_t size;
			uint32_t rtp_timestamp;
			int32_t keyframe;
			int64_t packets_dropped;
		} frame;
		struct omnirtc_event_track_ended {
			omnirtc_track_t track;
		} track_ended;
		struct omnirtc_event_track_mute {
			omnirtc_track_t track;
		} track_mute;
		struct omnirtc_event_keyframe_request {
			omnirtc_transceiver_t transceiver;
			const char *rid;
			int32_t kind;
		} keyframe_request;
		struct omnirtc_event_target_bitrate {
			int64_t bits_per_second;
			int32_t source;
			const char *streams_json;
		} target_bitrate;
		struct omnirtc_event_dtmf_tone_change {
			omnirtc_transceiver_t transceiver;
			const char *tone;
		} dtmf_tone_change;
		struct omnirtc_event_dtmf_tone {
			omnirtc_track_t track;
			const char *tone;
			int32_t duration_ms;
		} dtmf_tone;
	};
} omnirtc_event_t;

/*
 * omnirtc_event_channel_of — the data channel an event is about: its
 * channel.channel for DATA_CHANNEL and the channel events (CHANNEL_MESSAGE's
 * message.channel, CHANNEL_ERROR's channel_error.channel), else 0.  Inline:
 * no library call.
 */
static inline omnirtc_channel_t omnirtc_event_channel_of(const omnirtc_event_t *event) {
	switch (event->type) {
	case OMNIRTC_EVENT_DATA_CHANNEL:
	case OMNIRTC_EVENT_CHANNEL_OPEN:
	case OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW:
	case OMNIRTC_EVENT_CHANNEL_CLOSING:
	case OMNIRTC_EVENT_CHANNEL_CLOSE: return event->channel.channel;
	case OMNIRTC_EVENT_CHANNEL_MESSAGE: return event->message.channel;
	case OMNIRTC_EVENT_CHANNEL_ERROR: return event->channel_error.channel;
	default: return 0;
	}
}

/*
 * Event callback.  user_data is the pointer registered with it; the library
 * never dereferences it.  See the callback rules at the top of this file.
 */
typedef void (*omnirtc_event_cb)(void *user_data, const omnirtc_event_t *event);

/* ===================================================================== */
/* Peer connection                                                        */
/* ===================================================================== */

/* RTCSignalingState */
enum {
	OMNIRTC_SIGNALING_STABLE = 0,
	OMNIRTC_SIGNALING_HAVE_LOCAL_OFFER = 1,
	OMNIRTC_SIGNALING_HAVE_REMOTE_OFFER = 2,
	OMNIRTC_SIGNALING_HAVE_LOCAL_PRANSWER = 3,
	OMNIRTC_SIGNALING_HAVE_REMOTE_PRANSWER = 4,
	OMNIRTC_SIGNALING_CLOSED = 5
};

/* RTCIceGatheringState */
enum { OMNIRTC_ICE_GATHERING_NEW = 0, OMNIRTC_ICE_GATHERING_GATHERING = 1, OMNIRTC_ICE_GATHERING_COMPLETE = 2 };

/* RTCIceConnectionState */
enum {
	OMNIRTC_ICE_CONNECTION_NEW = 0,
	OMNIRTC_ICE_CONNECTION_CHECKING = 1,
	OMNIRTC_ICE_CONNECTION_CONNECTED = 2,
	OMNIRTC_ICE_CONNECTION_COMPLETED = 3,
	OMNIRTC_ICE_CONNECTION_DISCONNECTED = 4,
	OMNIRTC_ICE_CONNECTION_FAILED = 5,
	OMNIRTC_ICE_CONNECTION_CLOSED = 6
};

/* RTCPeerConnectionState */
enum {
	OMNIRTC_PEER_NEW = 0,
	OMNIRTC_PEER_CONNECTING = 1,
	OMNIRTC_PEER_CONNECTED = 2,
	OMNIRTC_PEER_DISCONNECTED = 3,
	OMNIRTC_PEER_FAILED = 4, /* ICE failed, or the DTLS handshake did (e.g. a fingerprint that does not match) */
	OMNIRTC_PEER_CLOSED = 5  /* closed here, or by the remote's DTLS close_notify once DTLS had connected */
};

/* OMNIRTC_EVENT_TRANSPORT_STATE: which transport (transport_state.transport) */
enum { OMNIRTC_TRANSPORT_DTLS = 0, OMNIRTC_TRANSPORT_SCTP = 1 };

/* RTCDtlsTransportState */
enum {
	OMNIRTC_DTLS_TRANSPORT_NEW = 0,
	OMNIRTC_DTLS_TRANSPORT_CONNECTING = 1,
	OMNIRTC_DTLS_TRANSPORT_CONNECTED = 2,
	OMNIRTC_DTLS_TRANSPORT_CLOSED = 3, /* the remote's close_notify */
	OMNIRTC_DTLS_TRANSPORT_FAILED = 4  /* the handshake failed (e.g. a fingerprint that does not match); final */
};

/* RTCSctpTransportState */
enum { OMNIRTC_SCTP_TRANSPORT_CONNECTING = 0, OMNIRTC_SCTP_TRANSPORT_CONNECTED = 1, OMNIRTC_SCTP_TRANSPORT_CLOSED = 2 };

/* Which session description omnirtc_peer_get_description returns. */
enum {
	OMNIRTC_DESCRIPTION_LOCAL = 0,          /* localDescription */
	OMNIRTC_DESCRIPTION_REMOTE = 1,         /* remoteDescription */
	OMNIRTC_DESCRIPTION_CURRENT_LOCAL = 2,  /* currentLocalDescription */
	OMNIRTC_DESCRIPTION_PENDING_LOCAL = 3,  /* pendingLocalDescription */
	OMNIRTC_DESCRIPTION_CURRENT_REMOTE = 4, /* currentRemoteDescription */
	OMNIRTC_DESCRIPTION_PENDING_REMOTE = 5  /* pendingRemoteDescription */
};

/*
 * omnirtc_peer_create — create an RTCPeerConnection.
 *
 * config_json: NULL, "" or a JSON object mirroring RTCConfiguration:
 *   {"iceServers":[{"urls":"stun:host:3478"|["turn:h?transport=tcp",…],
 *                   "username":"u","credential":"p"}],
 *    "iceTransportPolicy":"all"|"relay",
 *    "bundlePolicy":"balanced"|"max-compat"|"max-bundle",
 *    "rtcpMuxPolicy":"require",
 *    "certificates":["<PEM certificate + private key>"],
 *    "iceCandidatePoolSize":0,
 *    "omnirtc":{                           engine settings, all optional:
 *      "portRange":{"min":40000,"max":40100},   UDP ports for host candidates
 *      "udpMuxPort":3478,        one shared UDP port for all peers using it (ICE UDP mux)
 *      "tcpMuxPort":3479,        accept ICE-TCP on this shared TCP port (passive candidates)
 *      "networkTypes":["udp4","udp6","tcp4","tcp6"],
 *      "interfaces":["eth0"],    only gather on these interfaces
 *      "ips":["10.0.0.2"],       only gather these local addresses
 *      "nat1to1IPs":["203.0.113.7"], "nat1to1CandidateType":"host"|"srflx",
 *                                each entry an external IP, or "external/local" IPs
 *                                (an entry that is no IP, or an empty interface
 *                                name, is an error)
 *      "mdns":"disabled"|"query"|"gather",   default "query"
 *      "includeLoopback":false,  gather 127.0.0.1 / ::1 candidates
 *      "iceDisconnectedTimeoutMs":5000, "iceFailedTimeoutMs":25000,
 *      "iceKeepaliveIntervalMs":2000,
 *      "sctpMaxMessageSize":262144,  largest message this peer accepts
 *      "udpBufferSize":4194304,  UDP socket buffers to ask for (0: the OS default);
 *                                past net.core.rmem_max only with CAP_NET_ADMIN
 *      "interceptors":["nack","rtx","rtcpReports","twcc","stats"]  the default; see "Track"
 *      "jitterBuffer":{"targetDelayMs":200,"maxPackets":512}  options of the "jitterBuffer"
 *                                interceptor (defaults shown); an error without it
 *      "ulpfec":{"groupSize":4}  sent video packets per ULPFEC packet (1..24), the
 *                                "ulpfec" interceptor's; an error without it
 *    }}
 * cb, user_data: the event callback for this peer and, unless a channel has
 *   its own (omnirtc_channel_set_callback), for its channels.  cb may be NULL.
 * peer_out: receives the new handle.
 *
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (peer_out NULL), OMNIRTC_ERR_INVALID_CONFIG
 * (message names the key; also JSON null for iceServers, iceTransportPolicy,
 * bundlePolicy, rtcpMuxPolicy or certificates), OMNIRTC_ERR_TOO_LARGE (config
 * over 1 MiB), and as W3C webrtc-pc 4.2 / 4.4.1.1 name them:
 * OMNIRTC_ERR_INVALID_SYNTAX (an ICE server URL that does not parse: "",
 * no scheme, a port out of range), OMNIRTC_ERR_INVALID_ACCESS (a turn:/turns:
 * URL without "username" or "credential"; empty strings are taken, but such a
 * URL is not used to gather), OMNIRTC_ERR_NOT_SUPPORTED ("rtcpMuxPolicy":
 * "negotiate"), OMNIRTC_ERR_INVALID_ACCESS also for a certificate that has
 * expired.  All messages name the key.
 */
omnirtc_status_t omnirtc_peer_create(const char *config_json, omnirtc_event_cb cb, void *user_data,
                                     omnirtc_peer_t *peer_out);

/*
 * Notify callback of a polled peer: the peer's event queue went from empty to
 * non-empty while the peer was armed.  Runs on a library thread; must return
 * quickly (wake the host's loop); may call any function, including
 * omnirtc_peer_poll_events and omnirtc_peer_close.  user_data is the pointer
 * given to omnirtc_peer_create_polled; the library never dereferences it.
 */
typedef void (*omnirtc_notify_cb)(void *user_data, omnirtc_peer_t peer);

/*
 * omnirtc_peer_create_polled — like omnirtc_peer_create, but the events are
 * taken with omnirtc_peer_poll_events instead of delivered to a callback.
 * notify fires when an event is queued and the peer is armed, and disarms
 * it; a poll that leaves the queue empty (returns fewer events than its
 * capacity, 0 included) arms it again.  A peer starts armed.  So a host that,
 * after each notify, polls until it gets fewer events than it asked for
 * misses no event and is woken once per burst.  Channels of a polled peer
 * have no callbacks of their own.
 * user_data must stay valid until OMNIRTC_EVENT_PEER_CLOSED has been polled.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (notify or peer_out NULL), and those of
 * omnirtc_peer_create.
 */
omnirtc_status_t omnirtc_peer_create_polled(const char *config_json, omnirtc_notify_cb notify, void *user_data,
                                            omnirtc_peer_t *peer_out);

/*
 * omnirtc_peer_poll_events — take up to capacity queued events of a polled
 * peer, in order, into events[0..*count_out); *count_out = 0 when none is
 * queued.  The events and everything they point to (strings, payloads, media
 * payloads included) are owned by the library and stay valid until the next
 * omnirtc_peer_poll_events call for this peer, which frees them; taking
 * events returns their bytes to the queue's budget at that next poll.
 * Polls of one peer are serialised by the library; any thread, also inside
 * notify.
 * A channel's OMNIRTC_EVENT_CHANNEL_CLOSE starts a batch (the poll before it
 * returns fewer than capacity and notify fires again; see
 * omnirtc_channel_get_ready_state).
 * OMNIRTC_EVENT_PEER_CLOSED is the last event: it comes alone in its batch
 * and points to nothing; the poll that returns it frees every earlier batch
 * and, called outside notify, returns once no notify of this peer runs.
 * After it the handle is invalid.  omnirtc_peer_close (or omnirtc_shutdown)
 * discards the pending events and queues PEER_CLOSED without waiting for the
 * host; the handle stays valid to this function until PEER_CLOSED is polled.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (events or count_out NULL, capacity
 * 0), OMNIRTC_ERR_INVALID_STATE (a peer made with omnirtc_peer_create),
 * OMNIRTC_ERR_INVALID_HANDLE (unknown, or PEER_CLOSED was polled).
 */
omnirtc_status_t omnirtc_peer_poll_events(omnirtc_peer_t peer, omnirtc_event_t *events, size_t capacity,
                                          size_t *count_out);

/*
 * omnirtc_peer_set_track_receive — the receive options (the JSON of
 * omnirtc_track_set_receive) of every remote track of this peer whose first
 * packet (OMNIRTC_EVENT_TRACK_UNMUTE) arrives after the call, applied from
 * that packet, except tracks given their own with omnirtc_track_set_receive.
 * NULL restores the default ("frames").  Borrowed for the call; any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (bad options, the message names the
 * key), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_peer_set_track_receive(omnirtc_peer_t peer, const char *receive_json);

/*
 * omnirtc_peer_close — close the peer connection and every channel on it.
 * Pending events are discarded, then OMNIRTC_EVENT_PEER_CLOSED is delivered,
 * the last event of this peer.  From the moment a close starts, the peer's
 * handle and its channel handles are invalid to every other function.
 *
 * Called from a thread that is not running a callback, it waits for a callback
 * of this peer in flight and for the PEER_CLOSED callback to return, so no
 * callback for this peer runs after it returns.  That holds for every such
 * call: one that overlaps another close of this peer (on another thread,
 * from a callback, or omnirtc_shutdown) waits for the same PEER_CLOSED.
 *
 * Called from inside any callback (of this peer or of another one), it never
 * waits: peers whose callbacks close one another, in any cycle, all close.  It
 * returns once no further callback of this peer can start except PEER_CLOSED;
 * a callback of this peer already running on another library thread may still
 * run, and PEER_CLOSED follows it.  Release this peer's user_data in the
 * PEER_CLOSED callback, not when a close made inside a callback returns.
 *
 * Returns OMNIRTC_OK, also for a peer that another call is closing or that
 * the remote closed (its DTLS close_notify).  OMNIRTC_ERR_INVALID_HANDLE once
 * the PEER_CLOSED callback has returned: a close after a close is a stale handle.
 */
omnirtc_status_t omnirtc_peer_close(omnirtc_peer_t peer);

/*
 * omnirtc_peer_create_offer / omnirtc_peer_create_answer — create an SDP offer
 * or answer (RTCPeerConnection.createOffer/createAnswer).  Local work only.
 * options_json: NULL or {"iceRestart":true} (offer only; before the first
 *   local description there is nothing to restart and it is ignored).
 * *sdp_out: the SDP text; release with omnirtc_free().
 * Errors: OMNIRTC_ERR_INVALID_STATE (answer without a remote offer, closed),
 * OMNIRTC_ERR_INVALID_ARGUMENT (bad options).
 */
omnirtc_status_t omnirtc_peer_create_offer(omnirtc_peer_t peer, const char *options_json, char **sdp_out);
omnirtc_status_t omnirtc_peer_create_answer(omnirtc_peer_t peer, const char *options_json, char **sdp_out);

/*
 * omnirtc_peer_set_local_description — apply a local description.
 * type: "offer", "answer", "pranswer", "rollback", or NULL for the implicit
 *   form (creates the offer or answer the signaling state calls for).
 * sdp: the SDP, or NULL to use the last one created of that type (ignored
 *   for "rollback").
 * "rollback" (here or in omnirtc_peer_set_remote_description, the same)
 * discards the pending offer, local or remote, and returns to "stable"
 * (W3C webrtc-pc 4.4.1.6): transceivers the remote offer created are removed
 * unless omnirtc_peer_add_track took them, and a transceiver no current
 * description has a media section for gets back a null mid.  A rollback of
 * the first remote offer cannot undo the ICE and DTLS start that offer began:
 * that peer cannot negotiate again (third_party/pion/README.md).
 * Starts ICE gathering: candidates arrive as OMNIRTC_EVENT_ICE_CANDIDATE.
 * A change of signaling state is queued as OMNIRTC_EVENT_SIGNALING_STATE before
 * it returns, so those events follow the calls in order (as for
 * omnirtc_peer_set_remote_description).
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (unknown type), OMNIRTC_ERR_INVALID_SDP,
 * OMNIRTC_ERR_INVALID_STATE (wrong signaling state; a rollback without a
 * pending offer: in "stable" or a pranswer state).
 */
omnirtc_status_t omnirtc_peer_set_local_description(omnirtc_peer_t peer, const char *type, const char *sdp);

/*
 * OMNIRTC_MAX_REMOTE_CANDIDATES — the most distinct remote ICE candidates a
 * peer takes per ICE generation, from descriptions and add_ice_candidate
 * together; an ICE restart (either side's) starts a new count.  ICE checks
 * every pair of local and remote candidates, so a remote sending thousands
 * would otherwise stall negotiation and stats for seconds.
 */
#define OMNIRTC_MAX_REMOTE_CANDIDATES 100

/*
 * omnirtc_peer_set_remote_description — apply the remote peer's description.
 * type: "offer", "answer", "pranswer" or "rollback"; sdp: the SDP (may be NULL
 * only for "rollback", and ignored then).  An offer in "have-local-offer" first
 * rolls the local offer back (implicit rollback, with its signaling state
 * event); an offer refused in "stable" leaves it "stable".  Remote data
 * channels arrive as OMNIRTC_EVENT_DATA_CHANNEL once they are open, each
 * followed by its OMNIRTC_EVENT_CHANNEL_OPEN; one that fails or closes before
 * opening is never announced.  A description without media sections is
 * accepted (its answer has none either) and starts no transport.
 * Errors: OMNIRTC_ERR_INVALID_ACCESS (an audio or video section without
 * a=rtcp-mux, which "rtcpMuxPolicy":"require" refuses: JSEP 5.8),
 * OMNIRTC_ERR_INVALID_ARGUMENT, OMNIRTC_ERR_INVALID_SDP, OMNIRTC_ERR_INVALID_STATE,
 * OMNIRTC_ERR_TOO_LARGE (its candidates would take the peer over
 * OMNIRTC_MAX_REMOTE_CANDIDATES; the description is not applied).
 */
omnirtc_status_t omnirtc_peer_set_remote_description(omnirtc_peer_t peer, const char *type, const char *sdp);

/* What a description call did to the signaling state (omnirtc_peer_set_description). */
typedef struct omnirtc_signaling_changes {
	/* The number of the last OMNIRTC_EVENT_SIGNALING_STATE event queued up to
	 * the end of the call; a peer's signaling events are numbered 1, 2, ... in
	 * queue order, so a host that drains the queue has delivered the call's
	 * events once it has taken last_event of them. */
	uint64_t last_event;
	uint32_t count;    /* states[0..count): 0 when the state did not change, 2 for an implicit rollback */
	int32_t states[4]; /* OMNIRTC_SIGNALING_*, the states of the events the call queued, in order */
	/* The number of OMNIRTC_EVENT_TRACK events queued on the peer up to the
	 * end of the call: a remote description queues the track events of the
	 * tracks it announces before it returns, so a host that drains the queue
	 * until it has taken that many track events has delivered them (W3C
	 * fires track before setRemoteDescription resolves). */
	uint32_t track_events;
} omnirtc_signaling_changes_t;

/*
 * omnirtc_peer_set_description — omnirtc_peer_set_local_description (local
 * != 0) or omnirtc_peer_set_remote_description (local = 0), with the same
 * arguments and errors, that also reports the signaling state events the
 * call queued, so a binding fires W3C's signalingstatechange for exactly
 * those before the call resolves (webrtc-pc 4.4.1.5): a remote offer in
 * "have-local-offer" reports "stable" (the implicit rollback), then
 * "have-remote-offer"; the ICE events the call starts are queued after them.
 * *changes_out (may be NULL) is filled also when the call fails (a failed
 * remote offer may have rolled the local one back).  The events are queued
 * as usual: the host either skips them when it takes them (the first
 * last_event signaling events) or delivers the queue up to them.  Events
 * queued by calls of this peer on other threads meanwhile are reported too.
 */
omnirtc_status_t omnirtc_peer_set_description(omnirtc_peer_t peer, int32_t local, const char *type, const char *sdp,
                                              omnirtc_signaling_changes_t *changes_out);

/*
 * omnirtc_peer_get_description — one of the six descriptions (OMNIRTC_DESCRIPTION_*).
 * *type_out ("offer"…) and *sdp_out are set to NULL when there is none;
 * otherwise release both with omnirtc_free().  type_out may be NULL.
 */
omnirtc_status_t omnirtc_peer_get_description(omnirtc_peer_t peer, int32_t which, char **type_out, char **sdp_out);

/*
 * omnirtc_peer_add_ice_candidate — add a remote candidate (trickle ICE).
 * candidate: an "a=candidate" value ("candidate:…", with or without the
 *   prefix); NULL or "" signals end-of-candidates.
 * sdp_mid: may be NULL; sdp_mline_index: -1 if unknown.  The candidate is for
 *   the media section whose mid is sdp_mid, else the one at sdp_mline_index; a
 *   candidate needs one of them, an end-of-candidates without either is for
 *   every section.  Its line ("a=candidate:…", or "a=end-of-candidates") is
 *   added to that section of the remote descriptions of its ICE generation, as
 *   omnirtc_peer_get_description shows them (W3C webrtc-pc 4.4.1.6).  A TCP
 *   candidate (not tcptype active) at a port of the Fetch standard's bad-port
 *   list is administratively prohibited: OMNIRTC_OK and added to the
 *   description, but never used for a connection.
 * Errors: OMNIRTC_ERR_INVALID_CANDIDATE (malformed, or no such mid or
 * m-line index), OMNIRTC_ERR_INVALID_ARGUMENT (a candidate with neither),
 * OMNIRTC_ERR_INVALID_STATE
 * (no remote description yet), OMNIRTC_ERR_TOO_LARGE (a new candidate past
 * OMNIRTC_MAX_REMOTE_CANDIDATES; one the peer has already is OMNIRTC_OK).
 * While the peer closes (on another thread, or by the remote's DTLS
 * close_notify) a well-formed candidate gives exactly one of: OMNIRTC_OK (added
 * before the close; it goes with the peer), OMNIRTC_ERR_INVALID_STATE (the
 * close has begun), OMNIRTC_ERR_INVALID_HANDLE (omnirtc_peer_close has
 * released the handle).
 */
omnirtc_status_t omnirtc_peer_add_ice_candidate(omnirtc_peer_t peer, const char *candidate, const char *sdp_mid,
                                                int32_t sdp_mline_index);

/*
 * omnirtc_peer_restart_ice — request an ICE restart: the next offer carries new
 * ICE credentials (OMNIRTC_EVENT_NEGOTIATION_NEEDED follows).  Before the
 * first local description there is nothing to restart: the first offer is
 * made as usual.
 */
omnirtc_status_t omnirtc_peer_restart_ice(omnirtc_peer_t peer);

/*
 * omnirtc_peer_get_stats — an RTCStatsReport as a JSON object keyed by stats id,
 * each value a W3C stats dictionary with "type" ("peer-connection", "transport",
 * "candidate-pair", "local-candidate", "remote-candidate", "data-channel",
 * "certificate", "sctp-transport"…).  Release with omnirtc_free().
 * "sctp-transport" (W3C RTCSctpTransportStats, once SCTP runs) carries the
 * sender's side of the association: "transportId" (the "transport" entry's
 * id), "congestionWindow", "receiverWindow" (the peer's advertised window
 * less what is in flight), "mtu" (bytes), "smoothedRoundTripTime" (seconds,
 * 0 before a measurement), "unackData" (DATA chunks sent and not yet
 * acknowledged), and, with no W3C name: "slowStartThreshold" (bytes; it
 * starts at the peer's window and only a detected loss lowers it),
 * "bytesInFlight" (user data bytes sent and not yet acknowledged),
 * "localReceiverWindow" (bytes: our own window, the a_rwnd our SACKs
 * advertise; usrsctp's my_rwnd), and counters since the association
 * started: "retransmittedChunks" (DATA chunks sent again: fast
 * retransmission, timeouts, RACK, and tail-loss probes, which may resend a
 * chunk on a clean path when a SACK is late), "retransmittedBytes" (their
 * user data; libwebrtc's rtx_bytes), "fastRetransmissions" (chunks sent
 * again by fast retransmission; usrsctp's sctps_sendfastretrans),
 * "retransmissionTimeouts" (T3-rtx timer expirations; usrsctp's
 * sctps_timodata) and "rackLostChunks" (chunks RACK, RFC 8985, declared
 * lost).  The figures are one snapshot, taken under the association's lock.
 */
omnirtc_status_t omnirtc_peer_get_stats(omnirtc_peer_t peer, char **json_out);

/*
 * omnirtc_peer_get_configuration — the configuration as W3C getConfiguration()
 * reports it (webrtc-pc 4.4.1.6): a JSON object with the members as given to
 * omnirtc_peer_create or the last omnirtc_peer_set_configuration ("urls" a
 * string or a list, as given), the defaults of the RTCConfiguration members
 * not given ("iceServers":[], "iceTransportPolicy":"all", "bundlePolicy":
 * "balanced", "rtcpMuxPolicy":"require", "iceCandidatePoolSize":0,
 * "certificates":[]) and the "omnirtc" section if one was given.
 * Release *json_out with omnirtc_free().  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (json_out NULL), OMNIRTC_ERR_INVALID_HANDLE
 * (omnirtc_peer_close has released the handle).
 */
omnirtc_status_t omnirtc_peer_get_configuration(omnirtc_peer_t peer, char **json_out);

/*
 * omnirtc_peer_set_configuration — W3C setConfiguration() (webrtc-pc 4.4.1.6,
 * "set a configuration"): config_json as for omnirtc_peer_create, borrowed for
 * the call; any thread.  "iceServers" and "iceTransportPolicy" may change:
 * the new servers and policy are used from the next gathering (after
 * omnirtc_peer_restart_ice and the offer it leads to).  Nothing changes on error:
 *   OMNIRTC_ERR_INVALID_MODIFICATION: "certificates" (when given),
 *     "bundlePolicy", "rtcpMuxPolicy" (an omitted one is its default), the
 *     "omnirtc" section (an omitted one is kept), or, once a local description
 *     is set, "iceCandidatePoolSize" differ from the current ones;
 *   OMNIRTC_ERR_NOT_SUPPORTED: iceServers with "omnirtc.caCertificates"
 *     changed (their TLS dialer is built with the peer);
 *   OMNIRTC_ERR_INVALID_SYNTAX, OMNIRTC_ERR_INVALID_ACCESS, OMNIRTC_ERR_INVALID_CONFIG,
 *     OMNIRTC_ERR_NOT_SUPPORTED, OMNIRTC_ERR_TOO_LARGE: as for omnirtc_peer_create;
 *   OMNIRTC_ERR_INVALID_ARGUMENT (config_json NULL), OMNIRTC_ERR_INVALID_STATE
 *     (closed), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_peer_set_configuration(omnirtc_peer_t peer, const char *config_json);

/*
 * State getters: write the current OMNIRTC_SIGNALING_* / ICE_GATHERING_* /
 * ICE_CONNECTION_* / PEER_* value.  The state events report the same changes
 * later, through the peer's queue; a binding's W3C attributes read these
 * getters, so a state is current as soon as the call that changed it returns
 * (the signaling state when set_local/remote_description returns, as W3C has
 * it when their promises resolve).  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (closed peer), OMNIRTC_ERR_INVALID_ARGUMENT
 * (state_out NULL).
 */
omnirtc_status_t omnirtc_peer_get_signaling_state(omnirtc_peer_t peer, int32_t *state_out);
omnirtc_status_t omnirtc_peer_get_ice_gathering_state(omnirtc_peer_t peer, int32_t *state_out);
omnirtc_status_t omnirtc_peer_get_ice_connection_state(omnirtc_peer_t peer, int32_t *state_out);
omnirtc_status_t omnirtc_peer_get_connection_state(omnirtc_peer_t peer, int32_t *state_out);

/*
 * omnirtc_peer_get_gatherings — write how many ICE gatherings the peer has
 * started (0 before any).  A set_local_description that starts one has counted
 * it when it returns, so a host compares the count before and after the call to
 * know whether to await that gathering: its OMNIRTC_EVENT_ICE_GATHERING_STATE
 * events carry its number in state.gathering, and the "complete" one comes
 * before its end-of-candidates OMNIRTC_EVENT_ICE_CANDIDATE (candidate "").  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (closed peer), OMNIRTC_ERR_INVALID_ARGUMENT
 * (count_out NULL).
 */
omnirtc_status_t omnirtc_peer_get_gatherings(omnirtc_peer_t peer, int64_t *count_out);

/*
 * omnirtc_peer_get_max_message_size — the largest data channel message this
 * peer may send now (the remote's max-message-size once connected, else 65536).
 */
omnirtc_status_t omnirtc_peer_get_max_message_size(omnirtc_peer_t peer, uint64_t *size_out);

/*
 * omnirtc_peer_get_transports — the peer's transports now (webrtc-pc 5.5
 * RTCDtlsTransport, 5.6 RTCIceTransport, 6.1.1 RTCSctpTransport), as JSON:
 *   {"ice":{"state","gatheringState","role":"unknown"|"controlling"|"controlled",
 *           "selectedPair":{"local":"candidate:…","remote":"candidate:…"}|null,
 *           "localCandidates":["candidate:…"…],"remoteCandidates":["candidate:…"…]},
 *    "dtls":{"state","remoteCertificates":["<base64 DER>"…]},
 *    "sctp":{"state","maxMessageSize","maxChannels":N|null}|null}
 * Everything is bundled on one ICE and one DTLS transport, which every sender,
 * receiver and the SCTP transport share.  The ICE transport's state and
 * gathering state are the peer's ICE connection and gathering states, and
 * their events (ICE_CONNECTION_STATE, ICE_GATHERING_STATE) are its events
 * too; the DTLS and SCTP states change by OMNIRTC_EVENT_TRANSPORT_STATE, the
 * selected pair by OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR.  "sctp" is null until
 * the current remote description has an application section (W3C: an answer
 * negotiated SCTP); its maxChannels is null until it is "connected".
 * remoteCertificates is empty until the DTLS handshake got the remote's; role
 * is "unknown" until ICE starts (after both descriptions, on a library thread).
 * localCandidates and remoteCandidates (W3C getLocalCandidates() /
 * getRemoteCandidates()) are the distinct "a=candidate" lines, in order, of the
 * local description (what ICE_CANDIDATE events gave) and of the remote
 * description with what omnirtc_peer_add_ice_candidate added; empty before.
 * *json_out: release with omnirtc_free().  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (json_out NULL), OMNIRTC_ERR_INVALID_HANDLE,
 * OMNIRTC_ERR_INVALID_STATE (closed).
 */
omnirtc_status_t omnirtc_peer_get_transports(omnirtc_peer_t peer, char **json_out);

/* ===================================================================== */
/* Data channel                                                           */
/* ===================================================================== */

/* RTCDataChannelState */
enum {
	OMNIRTC_CHANNEL_CONNECTING = 0,
	OMNIRTC_CHANNEL_OPEN = 1,
	OMNIRTC_CHANNEL_CLOSING = 2,
	OMNIRTC_CHANNEL_CLOSED = 3
};

/* The most a channel's buffered amount may reach: a send that would take it
 * further is refused (see omnirtc_channel_send).  16 MiB, as in Chromium. */
enum { OMNIRTC_MAX_BUFFERED_AMOUNT = 16777216 };

/*
 * omnirtc_channel_create — RTCPeerConnection.createDataChannel.
 * label: UTF-8, at most 65535 bytes.
 * init_json: NULL or RTCDataChannelInit:
 *   {"ordered":true, "maxPacketLifeTime":ms, "maxRetransmits":n,
 *    "protocol":"…", "negotiated":false, "id":0..65534}
 *   maxPacketLifeTime and maxRetransmits are exclusive; "negotiated":true
 *   requires "id" (both sides then create the channel with the same id).
 * Events go to the peer's callback until omnirtc_channel_set_callback is called.
 * On a connected peer the channel opens at once: its OMNIRTC_EVENT_CHANNEL_OPEN
 * may be delivered, on a library thread, before this call returns.  A host that
 * finds channels in a table of its own adds the new handle under a lock its
 * callback also takes (this call never waits for a callback, so holding that
 * lock across it cannot deadlock).
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (bad label or option, message names it),
 * OMNIRTC_ERR_INVALID_STATE (the peer is closed, or closing: closed by the
 * remote, or its SCTP association has ended, as right after the remote
 * closed), OMNIRTC_ERR_INVALID_HANDLE (omnirtc_peer_close has begun).
 */
omnirtc_status_t omnirtc_channel_create(omnirtc_peer_t peer, const char *label, const char *init_json,
                                        omnirtc_channel_t *channel_out);

/*
 * omnirtc_channel_set_callback — send this channel's events to cb with
 * user_data instead of the peer's callback.  cb = NULL restores the peer's.
 * Takes effect for events not yet delivered; to miss none on a remote channel,
 * call it inside the OMNIRTC_EVENT_DATA_CHANNEL callback.
 * Errors: OMNIRTC_ERR_INVALID_STATE (the channel's peer is polled),
 * OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_channel_set_callback(omnirtc_channel_t channel, omnirtc_event_cb cb, void *user_data);

/*
 * omnirtc_channel_send — queue one message.  binary = 0 sends UTF-8 text (must
 * be valid UTF-8), 1 sends binary; the receiver sees the same flag.  data may
 * be NULL only when size is 0.  Copied before return; never blocks: watch
 * omnirtc_channel_get_buffered_amount and OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW.
 * Errors: OMNIRTC_ERR_OPERATION (the buffered amount plus size would pass
 * OMNIRTC_MAX_BUFFERED_AMOUNT: nothing is queued, what was queued before is
 * still sent; W3C OperationError), OMNIRTC_ERR_INVALID_STATE (not open, or closing under the call: the
 * channel or its SCTP association ends, as right after the remote closed
 * either, even before CHANNEL_CLOSING is delivered), OMNIRTC_ERR_TOO_LARGE
 * (over omnirtc_peer_get_max_message_size), OMNIRTC_ERR_INVALID_ARGUMENT (bad
 * UTF-8, NULL), OMNIRTC_ERR_INVALID_HANDLE (CHANNEL_CLOSE was delivered, or
 * the peer's close has begun).
 */
omnirtc_status_t omnirtc_channel_send(omnirtc_channel_t channel, const void *data, size_t size, int32_t binary);

/* One message of omnirtc_channel_send_batch: the arguments of one send. */
typedef struct omnirtc_message {
	const void *data; /* may be NULL only when size is 0 */
	size_t size;      /* bytes */
	int32_t binary;   /* 1 binary, 0 UTF-8 text */
} omnirtc_message_t;

/*
 * omnirtc_channel_send_batch — omnirtc_channel_send for count messages, in
 * order, with one entry into the library: for bindings whose every call into
 * the library is expensive (Node sends what one JavaScript task sent at once).
 * The result is the same as calling omnirtc_channel_send for messages[0],
 * messages[1]… and stopping at the first that fails.  messages and every data
 * pointer are borrowed for the call and copied before it returns; never blocks.
 * sent_out, if not NULL, receives how many messages were queued (count on
 * success; on failure the index of the message that failed, whose error is the
 * status and omnirtc_last_error, and no message after it was queued).
 * count = 0 on a valid channel queues nothing and returns OMNIRTC_OK (messages
 * may then be NULL).
 * Errors: those of omnirtc_channel_send; OMNIRTC_ERR_INVALID_ARGUMENT also for
 * messages NULL with count > 0, a message with data NULL and size > 0, and a
 * count no array can hold; OMNIRTC_ERR_INVALID_HANDLE for a bad channel
 * (nothing queued).
 */
omnirtc_status_t omnirtc_channel_send_batch(omnirtc_channel_t channel, const omnirtc_message_t *messages, size_t count,
                                            size_t *sent_out);

/*
 * omnirtc_channel_get_info — the channel's properties as JSON:
 *   {"label":"…","protocol":"…","id":n|null,"ordered":true,
 *    "maxPacketLifeTime":n|null,"maxRetransmits":n|null,"negotiated":false,
 *    "readyState":"open","bufferedAmount":n,"bufferedAmountLowThreshold":n}
 * "id" is null until an answer negotiates the DTLS role; then every channel
 *   without one gets one, and a channel created later at once: even on the
 *   DTLS client, odd on the server (RFC 8832 6; W3C webrtc-pc 4.4.1.6).
 * Release with omnirtc_free().
 */
omnirtc_status_t omnirtc_channel_get_info(omnirtc_channel_t channel, char **json_out);

/*
 * omnirtc_channel_get_ready_state — the current OMNIRTC_CHANNEL_* (a binding's
 * readyState reads it as it is; the events report the changes later).  W3C
 * webrtc-pc 6.2 makes readyState "closed" only in the task that fires close,
 * so a channel the library has closed reads OMNIRTC_CHANNEL_CLOSING, its
 * handle valid, until its OMNIRTC_EVENT_CHANNEL_CLOSE is given to the host:
 * the event callback is called with it, or omnirtc_peer_poll_events returns
 * it (always first in its batch, so a host that handles a batch in order has
 * handled the channel's earlier events).  That releases the handle.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE once CHANNEL_CLOSE was given to the host
 * (the channel is closed), or its peer was closed.
 */
omnirtc_status_t omnirtc_channel_get_ready_state(omnirtc_channel_t channel, int32_t *state_out);

/* omnirtc_channel_get_buffered_amount — bytes queued by send and not yet sent. */
omnirtc_status_t omnirtc_channel_get_buffered_amount(omnirtc_channel_t channel, uint64_t *amount_out);

/*
 * omnirtc_channel_set/get_buffered_amount_low_threshold — when bufferedAmount
 * falls to the threshold or below, OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW fires.
 */
omnirtc_status_t omnirtc_channel_set_buffered_amount_low_threshold(omnirtc_channel_t channel, uint64_t threshold);
omnirtc_status_t omnirtc_channel_get_buffered_amount_low_threshold(omnirtc_channel_t channel, uint64_t *threshold_out);

/*
 * omnirtc_channel_set_paused — backpressure for a slow consumer.  While paused
 * (paused != 0) no further message is read from the network for this channel,
 * so the sender's flow control pushes back instead of a queue growing in
 * memory; a reliable channel loses nothing.  Messages already queued are still
 * delivered.  paused = 0 resumes.
 */
omnirtc_status_t omnirtc_channel_set_paused(omnirtc_channel_t channel, int32_t paused);

/*
 * omnirtc_channel_close — RTCDataChannel.close: data already sent is still
 * delivered, messages already received are still delivered to the callback,
 * then OMNIRTC_EVENT_CHANNEL_CLOSE follows, after which the handle is invalid.
 * Like the W3C close(), it does not fail for a channel that is closing or
 * closed, by either side, nor when the SCTP association has ended (the remote
 * closed the peer): it returns OMNIRTC_OK and CHANNEL_CLOSE follows.  Never
 * waits.  Errors: OMNIRTC_ERR_INVALID_HANDLE (CHANNEL_CLOSE was delivered, or
 * the peer's close has begun); OMNIRTC_ERR_OPERATION only if SCTP refused the
 * stream reset for a reason other than its end (pion/sctp has none today).
 */
omnirtc_status_t omnirtc_channel_close(omnirtc_channel_t channel);

/* ===================================================================== */
/* Track                                                                  */
/* ===================================================================== */

/*
 * Media is sent and received already encoded: OmniRTC packetizes, protects
 * (NACK/RTX, FlexFEC), paces feedback (TWCC/GCC) and reassembles, but never
 * encodes or decodes.  Codecs: Opus, PCMU, PCMA, G722, VP8, VP9, H264, H265, AV1.
 *
 * Local tracks (omnirtc_track_create) belong to no peer: one may be sent on
 * several peers, and lives until omnirtc_track_close.  Remote tracks arrive
 * in OMNIRTC_EVENT_TRACK with a new handle that lives until
 * OMNIRTC_EVENT_TRACK_ENDED or until its peer closes, as W3C webrtc-pc
 * 4.4.1.6 has them: the remote description that announces a track (one per
 * media section the remote sends on, one per rid with simulcast) queues its
 * TRACK before omnirtc_peer_set_remote_description returns, the track muted;
 * its first packet unmutes it (OMNIRTC_EVENT_TRACK_UNMUTE).  A description in
 * which the remote no longer sends it mutes it (OMNIRTC_EVENT_TRACK_MUTE; it
 * does not end), one in which it sends again queues TRACK again with the same
 * handle.  It ends when its transceiver stops.  Transceiver handles
 * live as long as their peer.  Each remote track has a reader of its own
 * in the library, which runs the callback for that track's TRACK_RTP and
 * TRACK_FRAME events itself (on a library thread, still one callback at a
 * time per peer, in order): no queue and no copy between the network and the
 * callback.  A slow callback holds back that reading, so the library drops
 * packets (as a network would, and as pion does for a slow reader) instead
 * of queueing without bound.
 *
 * Interceptors are chosen in the peer configuration, "omnirtc":{"interceptors":[…]}:
 *   "nack" (generator and responder), or "nackGenerator" / "nackResponder" alone,
 *   "rtx" (offer RTX so retransmissions go on their own SSRC), "rtcpReports"
 *   (sender/receiver reports), "twcc" (transport-wide feedback, timed as each
 *   datagram leaves the socket), "gcc"
 *   (send-side bandwidth estimation over TWCC: OMNIRTC_EVENT_TARGET_BITRATE with
 *   source "gcc" when the estimate changes), "remb" (offer goog-remb for video:
 *   a REMB the remote receiver sends, as browsers do for video without
 *   transport-cc, is OMNIRTC_EVENT_TARGET_BITRATE with source "remb", "ssrcs"
 *   the streams its bitrate covers together and "mids" the media sections
 *   sending them, when its bitrate or streams change; this peer's receivers
 *   send REMB with omnirtc_track_request_bitrate), "rembEstimator" ("remb",
 *   and once a second a REMB of this peer's own estimate for all the video it
 *   receives with goog-remb: loss-based, not delay-based like libwebrtc's
 *   (which needs abs-send-time, which pion does not send): over 10% of the
 *   packets lost it asks for the received rate cut by half the loss, under 2%
 *   for 8% over the larger of its last estimate and the received rate, at most
 *   1.5 x the received rate + 10 kbit/s, in between its last; it notices a link that drops packets, not one that only
 *   queues them; a REMB of omnirtc_track_request_bitrate holds until the next
 *   estimate), "flexfec" (FlexFEC-03, draft 03 as pion and libwebrtc send it:
 *   repair packets for sent video, 2 per 5 media packets on a stream of its
 *   own; and received repair packets rebuild lost media packets (one SSRC
 *   per repair, 512 packets back, a packet counting as lost once a later one
 *   arrived), which then pass the NACK generator (never asked for again) and
 *   the jitter buffer as if received, and are not reported received in TWCC
 *   feedback; inbound-rtp then has fecPacketsReceived, fecPacketsDiscarded
 *   (malformed, or all its packets already there or gone), fecBytesReceived
 *   and fecPacketsRecovered), "red" (audio RED, RFC 2198, as Chromium sends
 *   Opus: offers "red/48000/2" with fmtp "111/111" (payload type 63) after
 *   the audio codecs; when the remote accepted it, each Opus packet sent is
 *   wrapped with the one before it as redundancy (a packet after a sequence
 *   gap, of over 1023 bytes or 2^14 timestamp units before, or making the
 *   payload over 1200 bytes is left out) until the remote's first receiver
 *   report on the stream, then for 10 s after each report that shows loss
 *   (fraction lost above 0): on a clean path RED goes without redundancy; a
 *   received RED packet is handed on as its Opus packet, and a packet that
 *   did not arrive is rebuilt from the redundancy of the next ones (sequence
 *   number primary - distance, timestamp less the block's offset) and passes
 *   the jitter buffer and "frames"/"rtp" delivery as if received, once: an
 *   original that arrives after is dropped; inbound-rtp has the four fec*
 *   counts above, a RED packet with redundancy counting as one FEC packet,
 *   discarded when none of its blocks was needed; outbound-rtp has
 *   fecPacketsSent (RED packets with redundancy) and fecBytesSent (their
 *   redundant bytes), not W3C names), "ulpfec" (video RED, RFC 2198, with
 *   ULPFEC, RFC 5109, as Chromium sends them: offers "red/90000" (payload
 *   type 121, its RTX 123 with "rtx") and "ulpfec/90000" (122) after the
 *   video codecs; a received RED packet is handed on as its video packet,
 *   and one carrying ULPFEC (level 0, 16- or 48-bit mask) rebuilds the one
 *   packet it protects that did not arrive, handed on as the "flexfec"
 *   interceptor's are, while its own sequence number is handed on as an
 *   empty packet (no gap to NACK; "frames" drops it); inbound-rtp has the
 *   four fec* counts above, a ULPFEC packet discarded when malformed or all
 *   its packets were there or gone; when the remote accepted it, sent video
 *   goes in RED and, until the remote's first receiver report on the stream,
 *   then for 10 s after each that shows loss (as "red"), at each frame's end
 *   one ULPFEC packet per "omnirtc.ulpfec.groupSize" packets since the last:
 *   ULPFEC packets take sequence numbers of the stream, so packets go out
 *   numbered after the application's plus the ULPFEC packets sent before
 *   them, and NACKs and RTX retransmissions are mapped back; outbound-rtp
 *   has fecPacketsSent (ULPFEC packets) and fecBytesSent), "stats"
 *   (the RTP statistics of omnirtc_peer_get_stats: inbound-rtp, outbound-rtp,
 *   remote-inbound-rtp, remote-outbound-rtp (once a sender report came),
 *   media-source; codec is always there).
 *   "jitterBuffer" (puts each received stream back in sequence order before
 *   the "rtp" and "frames" modes of omnirtc_track_set_receive: a packet that
 *   follows a gap waits until a retransmission fills it or for
 *   "omnirtc.jitterBuffer.targetDelayMs", then the gap is given up; a buffer
 *   spans "maxPackets" sequence numbers, a packet further ahead releases the
 *   oldest at once; duplicates are dropped, late packets (also those sent
 *   before the first one received) dropped and counted; inbound-rtp then has jitterBufferDelay, jitterBufferTargetDelay
 *   (seconds, summed per emitted frame: packets of one RTP timestamp),
 *   jitterBufferEmittedCount and packetsDiscarded).
 *   Default: ["nack","rtx","rtcpReports","twcc","stats"].  Received frames always
 *   pass pion's sample builder too (reordering, waiting for retransmissions;
 *   see omnirtc_track_set_receive).  pion's own jitter-buffer interceptor is
 *   not used: its reads fail while it buffers, and pion then never starts
 *   the remote track; "jitterBuffer" works in the remote track's reader.
 */

/*
 * omnirtc_track_create — a local track fed with encoded media.
 * init_json: {"codec":"video/VP8"|"vp8"|"opus"|…  (required),
 *             "id":"…", "streamId":"…"   (default: generated / "omnirtc"),
 *             "mode":"sample"|"rtp"      (default "sample"),
 *             "rids":["q","h","f"]       simulcast layers (send with omnirtc_peer_add_transceiver)}
 * "sample": write whole frames (audio packets) with omnirtc_track_write_sample;
 * "rtp": write RTP packets with omnirtc_track_write_rtp.
 * Errors: OMNIRTC_ERR_NOT_SUPPORTED (unknown codec; the message lists the
 * known ones), OMNIRTC_ERR_INVALID_ARGUMENT (bad JSON or option, no "codec",
 * init_json NULL).
 */
omnirtc_status_t omnirtc_track_create(const char *init_json, omnirtc_track_t *track_out);

/*
 * omnirtc_track_write_sample — send one encoded frame (H264/H265: Annex-B
 * access unit; audio: one packet) lasting duration_us microseconds, which
 * advances the RTP timestamp of the next one.  rid: the simulcast layer, or
 * NULL / "" for the first.  Copied before return; before the track is
 * negotiated (or while its layer is inactive) the sample is dropped.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (closed track or a remote track),
 * OMNIRTC_ERR_INVALID_STATE (an "rtp" track), OMNIRTC_ERR_INVALID_ARGUMENT
 * (empty data, unknown rid).
 */
omnirtc_status_t omnirtc_track_write_sample(omnirtc_track_t track, const char *rid, const void *data, size_t size,
                                            uint64_t duration_us);

/*
 * omnirtc_track_write_rtp — send one RTP packet of a "rtp" track; its
 * payload type and SSRC are rewritten to the negotiated ones, sequence
 * numbers and timestamps are kept.  Copied before return.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (malformed RTP: the message says why),
 * OMNIRTC_ERR_INVALID_STATE (a "sample" track), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_track_write_rtp(omnirtc_track_t track, const char *rid, const void *packet, size_t size);

/*
 * omnirtc_track_set_receive — how a remote track is delivered, from the next
 * packet on (call it inside OMNIRTC_EVENT_TRACK to apply from the first):
 *   {"mode":"frames"|"rtp"|"none", "maxLate":512, "maxDelayMs":1000}
 * "frames" (default): OMNIRTC_EVENT_TRACK_FRAME with whole frames reassembled
 * through a sample builder that waits up to maxLate packets and maxDelayMs
 * of media time for a missing (retransmitted) packet, then drops the frame
 * (maxDelayMs defaults to 50 where no NACK is sent for the track: only a
 * reordered packet can still come); "rtp": OMNIRTC_EVENT_TRACK_RTP per packet, after
 * NACK/RTX repair; "none": read and dropped.  With the "jitterBuffer"
 * interceptor (see "Track") both modes get the packets in sequence order.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT, OMNIRTC_ERR_INVALID_HANDLE (a local track).
 */
omnirtc_status_t omnirtc_track_set_receive(omnirtc_track_t track, const char *options_json);

/*
 * omnirtc_track_request_keyframe — ask the sender of a remote video track for
 * a keyframe: a PLI (fir = 0) or a FIR (fir = 1).  The sender sees
 * OMNIRTC_EVENT_KEYFRAME_REQUEST.  A video track received as frames asks by
 * itself (a PLI at most every 250 ms) while it has delivered frames but no
 * keyframe, as when its first keyframe was lost.
 * Errors: OMNIRTC_ERR_INVALID_STATE (audio track, peer closed, nothing
 * received: before TRACK_UNMUTE), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_track_request_keyframe(omnirtc_track_t track, int32_t fir);

/*
 * omnirtc_track_request_bitrate — send a REMB for a remote video track: the
 * most, in bits per second, this receiver wants its sender to send on it.
 * A sender with the "remb" interceptor sees OMNIRTC_EVENT_TARGET_BITRATE
 * (source "remb"); a browser caps its encoder.  REMB carries 18 bits of
 * mantissa, so bitrates of 262144 and more arrive rounded down to a multiple
 * of a power of two (1234567 arrives as 1234560).  Send it again when the
 * wanted bitrate changes, and periodically: REMB travels over UDP.  With
 * "rembEstimator" the peer's next estimate, within a second, replaces it.
 * Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (bitrate <= 0), OMNIRTC_ERR_INVALID_STATE
 * (audio track, goog-remb not negotiated: both peers need it, see "remb"
 * above; peer closing; nothing received: before TRACK_UNMUTE), OMNIRTC_ERR_INVALID_HANDLE (a local track, a track
 * that ended or whose peer closed).
 */
omnirtc_status_t omnirtc_track_request_bitrate(omnirtc_track_t track, int64_t bitrate);

/*
 * omnirtc_track_get_info — a local track: {"id","kind","codec","streamId",
 * "mode","rids":[]}; a remote track: as the info_json of OMNIRTC_EVENT_TRACK.
 * Release with omnirtc_free().
 */
omnirtc_status_t omnirtc_track_get_info(omnirtc_track_t track, char **json_out);

/*
 * omnirtc_track_close — end a local track: further writes fail with
 * OMNIRTC_ERR_INVALID_HANDLE; senders using it send nothing more.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (closed, or a remote track: those end
 * with their peer or OMNIRTC_EVENT_TRACK_ENDED).
 */
omnirtc_status_t omnirtc_track_close(omnirtc_track_t track);

/*
 * omnirtc_peer_add_track — RTCPeerConnection.addTrack: send a local track on
 * a new or reusable transceiver (OMNIRTC_EVENT_NEGOTIATION_NEEDED follows).
 * *transceiver_out: its transceiver (valid while the peer is open).
 * Errors: OMNIRTC_ERR_INVALID_HANDLE, OMNIRTC_ERR_INVALID_STATE (peer closed),
 * OMNIRTC_ERR_OPERATION (a sender of this peer already carries the track —
 * W3C InvalidAccessError; after omnirtc_peer_remove_track it can be added
 * again).
 */
omnirtc_status_t omnirtc_peer_add_track(omnirtc_peer_t peer, omnirtc_track_t track,
                                        omnirtc_transceiver_t *transceiver_out);

/*
 * omnirtc_peer_add_transceiver — RTCPeerConnection.addTransceiver with a kind
 * ("audio"/"video", track = 0) or a local track (kind NULL or matching).
 * init_json: NULL or RTCRtpTransceiverInit:
 *   {"direction":"sendrecv"|"sendonly"|"recvonly"|"inactive",
 *    "sendEncodings":[{"rid":"f","active":true,"maxBitrate":2500000,
 *                      "scaleResolutionDownBy":1.0,"scalabilityMode":"L3T3_KEY"},…]}
 * Several sendEncodings send simulcast; their rids must be the track's
 * "rids", in order.  maxBitrate, scaleResolutionDownBy and scalabilityMode
 * (W3C webrtc-svc) are reported in omnirtc_transceiver_get_info for the
 * application's encoder; active:false drops what is written to that layer.
 * A scalabilityMode must be one of webrtc-svc's that the track's codec can
 * send (without a track: a codec of the kind): VP9 and AV1 every one, VP8
 * and H.264 L1T1-L1T3 (omnirtc_rtp_capabilities lists them per codec).
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (bad kind, kind/track mismatch, bad
 * option), OMNIRTC_ERR_OPERATION (a scalabilityMode unknown or not the
 * codec's, W3C OperationError), OMNIRTC_ERR_INVALID_HANDLE,
 * OMNIRTC_ERR_INVALID_STATE.
 */
omnirtc_status_t omnirtc_peer_add_transceiver(omnirtc_peer_t peer, const char *kind, omnirtc_track_t track,
                                              const char *init_json, omnirtc_transceiver_t *transceiver_out);

/*
 * omnirtc_peer_remove_track — RTCPeerConnection.removeTrack(transceiver.sender).
 * Errors: OMNIRTC_ERR_INVALID_HANDLE, OMNIRTC_ERR_INVALID_STATE.
 */
omnirtc_status_t omnirtc_peer_remove_track(omnirtc_peer_t peer, omnirtc_transceiver_t transceiver);

/*
 * omnirtc_transceiver_replace_track — RTCRtpSender.replaceTrack, without
 * renegotiation.  track = 0 stops sending.  On a transceiver a remote offer
 * created, before the answer, it is how that answer sends a track (a
 * "recvonly" transceiver becomes "sendrecv", as with omnirtc_peer_add_track).
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (track of the other kind),
 * OMNIRTC_ERR_NOT_SUPPORTED (a simulcast track), OMNIRTC_ERR_INVALID_HANDLE,
 * OMNIRTC_ERR_INVALID_STATE (stopped transceiver, closed peer).
 */
omnirtc_status_t omnirtc_transceiver_replace_track(omnirtc_transceiver_t transceiver, omnirtc_track_t track);

/*
 * omnirtc_transceiver_set_codec_preferences — RTCRtpTransceiver.setCodecPreferences:
 * codecs_json is an array, in preference order, of
 *   {"mimeType":"video/H264", "sdpFmtpLine":"…"  (optional: all fmtp variants)}
 * RTX follows its codec automatically.  [] restores the defaults.  Applies
 * from the next offer or answer.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (unknown codec, codec of the other kind).
 */
omnirtc_status_t omnirtc_transceiver_set_codec_preferences(omnirtc_transceiver_t transceiver, const char *codecs_json);

/*
 * omnirtc_transceiver_get_info — the transceiver as JSON:
 *   {"mid":"0"|null, "kind":"video", "direction":"sendrecv",
 *    "currentDirection":"sendonly"|null, "senderTrackId":"…"|null,
 *    "sendEncodings":[{"rid","active","maxBitrate","scaleResolutionDownBy",
 *                      "scalabilityMode"}],
 *    "codecs":[{"payloadType","mimeType","clockRate","channels","sdpFmtpLine"}],
 *    "receiverTracks":[…as OMNIRTC_EVENT_TRACK…], "stopped":false,
 *    "removed":false}
 * currentDirection is the direction negotiated by the last completed
 * offer/answer, seen from this peer: the answer's direction at the answerer,
 * reversed at the offerer (answered "recvonly", a "sendrecv" offer is
 * "sendonly"); null before then.  direction is "stopped" once
 * omnirtc_transceiver_stop was called or a description rejected its media
 * section (port 0); "stopped" is true, and currentDirection "stopped", once a
 * description rejected it (W3C [[Stopped]]: its remote tracks have ended).
 * "removed" is true once the transceiver is no longer one of its peer's: a
 * rollback of the remote offer that created it removed it (its remote
 * tracks have ended); getTransceivers leaves it out.  Its handle stays valid.
 * Release with omnirtc_free().
 */
omnirtc_status_t omnirtc_transceiver_get_info(omnirtc_transceiver_t transceiver, char **json_out);

/*
 * omnirtc_transceiver_set_direction — the RTCRtpTransceiver.direction setter:
 * direction is "sendrecv", "sendonly", "recvonly" or "inactive", borrowed for
 * the call.  The next offer or answer proposes it; when it changes,
 * OMNIRTC_EVENT_NEGOTIATION_NEEDED follows, and currentDirection changes only
 * once that negotiation completes.  Setting the current value does nothing.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL or another string),
 * OMNIRTC_ERR_INVALID_STATE (stopped transceiver, closed peer).
 */
omnirtc_status_t omnirtc_transceiver_set_direction(omnirtc_transceiver_t transceiver, const char *direction);

/*
 * omnirtc_transceiver_set_parameters — RTCRtpSender.setParameters.  params_json
 * is {"encodings":[{"rid","active","maxBitrate","scaleResolutionDownBy","scalabilityMode"},…]}
 * with one entry per encoding of omnirtc_transceiver_get_info's
 * "sendEncodings", in that order and with the same rids.  active:false stops
 * sending that layer at once (its writes are dropped), true resumes it;
 * maxBitrate, scaleResolutionDownBy and scalabilityMode are kept and
 * reported by omnirtc_transceiver_get_info for the application's encoder.  The W3C
 * transaction rules (getParameters' transactionId) belong to the binding: they
 * are about the host language's tasks.  params_json is borrowed for the call.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (malformed JSON, unknown key,
 * scaleResolutionDownBy below 1), OMNIRTC_ERR_INVALID_MODIFICATION (an
 * encoding added, removed or given another rid), OMNIRTC_ERR_OPERATION (a
 * scalabilityMode as omnirtc_peer_add_transceiver refuses),
 * OMNIRTC_ERR_INVALID_STATE (stopped transceiver, closed peer).  Any thread.
 */
omnirtc_status_t omnirtc_transceiver_set_parameters(omnirtc_transceiver_t transceiver, const char *params_json);

/*
 * omnirtc_rtp_capabilities — RTCRtpSender / RTCRtpReceiver.getCapabilities:
 * what a peer connection with the default configuration offers for kind
 * ("audio" or "video"), read from such a peer's offer, as
 *   {"codecs":[{"mimeType","clockRate","channels","sdpFmtpLine","scalabilityModes"}],
 *    "headerExtensions":[{"uri"}]}
 * in preference order, with "video/rtx" once; scalabilityModes (W3C
 * webrtc-svc) only for a codec that has some.  Video offers the AV1
 * Dependency Descriptor extension, which carries AV1's layers
 * (OMNIRTC_EVENT_TRACK_RTP's spatial_id, temporal_id).  Senders and receivers have the
 * same.  Release *json_out with omnirtc_free().  Local work only; any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL, or another kind).
 */
omnirtc_status_t omnirtc_rtp_capabilities(const char *kind, char **json_out);

/* omnirtc_transceiver_stop — RTCRtpTransceiver.stop. */
omnirtc_status_t omnirtc_transceiver_stop(omnirtc_transceiver_t transceiver);

/*
 * DTMF (W3C RTCDTMFSender, webrtc-pc 7): an audio transceiver's sender
 * plays tones as RFC 4733 telephone-events on its own stream, between the
 * audio packets written to its track.  Every audio peer offers
 * telephone-event at 48000 Hz (with Opus) and 8000 Hz.  Tones the remote
 * sends arrive as OMNIRTC_EVENT_DTMF_TONE on the remote track.
 *
 * omnirtc_transceiver_insert_dtmf — insertDTMF(tones, duration,
 * interToneGap): replaces the tone buffer with tones (UTF-8, borrowed for the
 * call): "0"-"9", "A"-"D" in either case (kept upper-case), "#", "*", and ","
 * for a 2 s pause.  Each tone lasts duration_ms, clamped to 40..6000 (the W3C
 * default is 100), and tones are inter_tone_gap_ms apart, clamped to
 * 30..6000 (default 70).  Playing is asynchronous: each tone's start, and
 * the buffer running empty, is an OMNIRTC_EVENT_DTMF_TONE_CHANGE; a call
 * while tones play replaces what is left, after the current tone.  "" empties
 * the buffer.  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_STATE (canInsertDTMF is false: no track, a
 * negotiated direction that does not send, a stopped transceiver, a remote
 * that did not accept telephone-event, a closed peer),
 * OMNIRTC_ERR_INVALID_CHARACTER (another character; the buffer is
 * unchanged), OMNIRTC_ERR_INVALID_ARGUMENT (tones NULL, a video
 * transceiver), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_transceiver_insert_dtmf(omnirtc_transceiver_t transceiver, const char *tones,
                                                 uint32_t duration_ms, uint32_t inter_tone_gap_ms);

/*
 * omnirtc_transceiver_get_dtmf — the DTMF sender's toneBuffer (the tones not
 * yet started) in *tone_buffer_out, which the caller releases with
 * omnirtc_free(), and canInsertDTMF (1 or 0) in *can_insert_out.  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (an out pointer NULL, a video
 * transceiver), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_transceiver_get_dtmf(omnirtc_transceiver_t transceiver, char **tone_buffer_out,
                                              int32_t *can_insert_out);

/*
 * Media files, for playing a file to a peer and recording one.
 *
 * omnirtc_media_reader_open — open an IVF (VP8/VP9/AV1), Ogg/Opus or H264
 * Annex-B file.  options_json: NULL or {"format":"ivf"|"ogg"|"h264" (default:
 * from the extension .ivf/.ogg/.opus/.h264/.264), "fps":30 (h264: the frame
 * duration)}.  info_json_out (may be NULL): {"format","codec" (a MIME type
 * for omnirtc_track_create),"width","height","frameCount","channels",
 * "sampleRate"}, released with omnirtc_free().
 * Errors: OMNIRTC_ERR_OPERATION (cannot open: the message has the OS error),
 * OMNIRTC_ERR_INVALID_ARGUMENT (not such a file), OMNIRTC_ERR_NOT_SUPPORTED (format).
 */
omnirtc_status_t omnirtc_media_reader_open(const char *path, const char *options_json,
                                           omnirtc_media_reader_t *reader_out, char **info_json_out);

/*
 * omnirtc_media_reader_next — the next frame: *data_out (release with
 * omnirtc_free) and *size_out, its duration in microseconds and keyframe
 * flag (both outputs may be NULL).  At the end of the file *data_out is
 * NULL and *size_out 0 (status OK).  H264 frames are access units in
 * Annex-B with 4-byte start codes; Ogg frames are single Opus packets.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (corrupt file), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_media_reader_next(omnirtc_media_reader_t reader, uint8_t **data_out, size_t *size_out,
                                           uint64_t *duration_us_out, int32_t *keyframe_out);

/* omnirtc_media_reader_close — close the file; the handle is invalid afterwards. */
omnirtc_status_t omnirtc_media_reader_close(omnirtc_media_reader_t reader);

/*
 * omnirtc_media_writer_open — create a file that RTP packets are recorded
 * into (depacketized by pion's IVF, Ogg and H264 writers).
 * options_json: NULL or {"format":…, "codec":"vp8"|"vp9"|"av1" (ivf),
 * "width":640, "height":480 (ivf), "sampleRate":48000, "channels":2 (ogg)}.
 * The file is created (or truncated) here and the IVF/Ogg header written.
 * Errors: OMNIRTC_ERR_OPERATION (cannot create: the message names the path
 * and has the OS error), OMNIRTC_ERR_INVALID_ARGUMENT.
 */
omnirtc_status_t omnirtc_media_writer_open(const char *path, const char *options_json,
                                           omnirtc_media_writer_t *writer_out);

/*
 * omnirtc_media_writer_write_rtp — record one RTP packet (for example from
 * OMNIRTC_EVENT_TRACK_RTP).  Errors: OMNIRTC_ERR_INVALID_ARGUMENT (malformed
 * RTP), OMNIRTC_ERR_OPERATION (write failed).
 */
omnirtc_status_t omnirtc_media_writer_write_rtp(omnirtc_media_writer_t writer, const void *packet, size_t size);

/* omnirtc_media_writer_close — finish and close the file; the handle is invalid afterwards. */
omnirtc_status_t omnirtc_media_writer_close(omnirtc_media_writer_t writer);

/* ===================================================================== */
/* TURN server                                                            */
/* ===================================================================== */

/*
 * A built-in TURN/STUN server (RFC 8656 on pion/turn), so an application can
 * relay its own peers without deploying coturn.  It also answers STUN Binding
 * requests on every listener, which is what a peer needs to learn its
 * server-reflexive address behind a NAT.
 */
typedef uint64_t omnirtc_turn_server_t;

typedef enum omnirtc_turn_event_type {
	OMNIRTC_TURN_EVENT_ALLOCATION_CREATED = 1, /* username, realm, client_address, relay_address, protocol */
	OMNIRTC_TURN_EVENT_ALLOCATION_DELETED = 2, /* username, realm, client_address, protocol */
	OMNIRTC_TURN_EVENT_CLOSED = 3              /* final event: the server handle is already released */
} omnirtc_turn_event_type_t;

/*
 * One TURN server event.  The struct and its strings are valid only during
 * the callback (or, polled, until the next omnirtc_turn_server_poll_events
 * of the server).  Fields not listed for an event type are "".  New fields
 * are only ever appended.
 */
typedef struct omnirtc_turn_event {
	int32_t type;                 /* omnirtc_turn_event_type_t */
	omnirtc_turn_server_t server; /* always set */
	const char *username;         /* the authenticated user; for REST credentials the part after "expiry:" */
	const char *realm;
	const char *client_address; /* the client's transport address, "ip:port" */
	const char *relay_address;  /* ALLOCATION_CREATED: the relayed transport address, "ip:port" */
	const char *protocol;       /* client-to-server transport: "UDP" or "TCP" (TLS listeners say "TCP") */
} omnirtc_turn_event_t;

/*
 * TURN server event callback.  Events of one server are delivered one at a
 * time, in order, on a library thread; the callback rules at the top of this
 * file apply.  A host that falls more than 4096 events behind loses the
 * excess (counted as "eventsDropped" in the stats), so the server never waits.
 */
typedef void (*omnirtc_turn_event_cb)(void *user_data, const omnirtc_turn_event_t *event);

/*
 * Notify callback of a polled TURN server, as omnirtc_notify_cb for peers:
 * the server's event queue went from empty to non-empty while it was armed.
 * Runs on a library thread; must return quickly (wake the host's loop); may
 * call any function, including omnirtc_turn_server_poll_events and
 * omnirtc_turn_server_close.
 */
typedef void (*omnirtc_turn_notify_cb)(void *user_data, omnirtc_turn_server_t server);

/*
 * Optional credential lookup, asked for a username that is neither a static
 * user nor a valid REST username.  Write the user's password (NUL-terminated,
 * at most password_capacity bytes including the NUL) to password_out and
 * return 1 to let the server check the request's MESSAGE-INTEGRITY with it,
 * or return 0 to refuse the user.  All strings are valid only during the call.
 * Runs on a library thread while that listener waits: return quickly, never
 * block on the network.  May run concurrently for different listeners.  No
 * call starts after omnirtc_turn_server_close returns: close waits for one in
 * flight, so never call close from inside this callback.
 */
typedef int32_t (*omnirtc_turn_auth_cb)(void *user_data, const char *username, const char *realm,
                                        const char *client_address, char *password_out, size_t password_capacity);

/*
 * omnirtc_turn_server_start — open the listeners and start serving.
 *
 * config_json: a JSON object (unknown keys are errors naming the key):
 *   {"listeners":[                       at least one:
 *      {"transport":"udp","address":"0.0.0.0:3478"},
 *      {"transport":"tcp","address":"0.0.0.0:3478"},
 *      {"transport":"tls","address":"0.0.0.0:5349",
 *       "certificate":"<PEM chain>","privateKey":"<PEM key>"}],
 *                                        port 0 picks a free port (see the stats)
 *    "realm":"omnirtc",                  long-term credential realm (default "omnirtc")
 *    "relay":{"address":"203.0.113.7",   required: the IP put in relayed addresses,
 *                                        the server's address as peers reach it
 *             "bindAddress":"0.0.0.0",   local IP relay sockets bind to (default: address)
 *             "minPort":49152,"maxPort":65535},   relay port range (this default; 0 is an error)
 *    "users":{"alice":"password"},       static long-term credentials
 *    "sharedSecret":"s3cret",            time-limited REST credentials as coturn's
 *                                        use-auth-secret: username "expiry:user" with
 *                                        expiry in Unix seconds, password
 *                                        base64(HMAC-SHA1(secret, username)); refused
 *                                        once expired
 *    "userQuota":0,                      most allocations a user holds at once (0: no limit);
 *                                        over it an Allocate gets 486 Allocation Quota Reached
 *    "allocationLifetimeSec":600}        lifetime of an unrefreshed allocation (1..3600;
 *                                        0 is an error)
 *   Usernames are looked up in "users", then as REST credentials, then with auth_cb.
 * cb, user_data: event callback (may be NULL) and its pointer, never dereferenced.
 * auth_cb: optional credential lookup (NULL: none), called with the same user_data.
 * server_out: receives the new handle.
 *
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL config_json or server_out),
 * OMNIRTC_ERR_INVALID_CONFIG (message names the key), OMNIRTC_ERR_TOO_LARGE
 * (config over 1 MiB), OMNIRTC_ERR_OPERATION (a listener could not be opened,
 * for example the address is in use; no callback is ever made then).
 */
omnirtc_status_t omnirtc_turn_server_start(const char *config_json, omnirtc_turn_event_cb cb,
                                           omnirtc_turn_auth_cb auth_cb, void *user_data,
                                           omnirtc_turn_server_t *server_out);

/*
 * omnirtc_turn_server_start_polled — like omnirtc_turn_server_start, but the
 * events are taken with omnirtc_turn_server_poll_events, as a polled peer's
 * are (omnirtc_peer_create_polled): the same queue a push server delivers
 * from, in the same order, with the same 4096-event bound.  notify fires when
 * an event is queued and the server is armed, and disarms it; a poll that
 * returns fewer events than its capacity (0 included) arms it again; a server
 * starts armed.  So a host that, after each notify, polls until it gets fewer
 * events than it asked for misses no event and is woken once per burst.
 * auth_cb stays a synchronous callback: the server needs the password to
 * check the request's MESSAGE-INTEGRITY before it can answer that request,
 * so it cannot be queued and answered later.
 * user_data must stay valid until OMNIRTC_TURN_EVENT_CLOSED has been polled
 * (and, with auth_cb, until omnirtc_turn_server_close has returned).
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (notify or server_out NULL), and those
 * of omnirtc_turn_server_start; a failed start notifies nothing.
 */
omnirtc_status_t omnirtc_turn_server_start_polled(const char *config_json, omnirtc_turn_notify_cb notify,
                                                  omnirtc_turn_auth_cb auth_cb, void *user_data,
                                                  omnirtc_turn_server_t *server_out);

/*
 * omnirtc_turn_server_poll_events — take up to capacity queued events of a
 * polled TURN server, in order, into events[0..*count_out); *count_out = 0
 * when none is queued.  The events and their strings are owned by the
 * library and stay valid until the next poll of this server, which frees
 * them.  Polls of one server are serialised by the library; any thread, also
 * inside notify.  OMNIRTC_TURN_EVENT_CLOSED is the last event: it comes
 * alone in its batch, after every ALLOCATION_DELETED of the close; the poll
 * that returns it frees every earlier batch and, called outside notify,
 * returns once no notify of this server runs.  After it the handle is
 * invalid.  omnirtc_turn_server_close (or omnirtc_shutdown) queues the
 * deletions and CLOSED without waiting for the host; the handle stays valid
 * to this function until CLOSED is polled.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (events or count_out NULL, capacity
 * 0), OMNIRTC_ERR_INVALID_STATE (a server started with a callback),
 * OMNIRTC_ERR_INVALID_HANDLE (unknown, or CLOSED was polled).
 */
omnirtc_status_t omnirtc_turn_server_poll_events(omnirtc_turn_server_t server, omnirtc_turn_event_t *events,
                                                 size_t capacity, size_t *count_out);

/*
 * omnirtc_turn_server_stats — the server's counters as a JSON object:
 *   {"allocations":N,          allocations now
 *    "allocationsCreated":N,   since start
 *    "bytesRelayed":N,         bytesToPeers + bytesFromPeers
 *    "bytesToPeers":N, "bytesFromPeers":N,   payload bytes on relay sockets
 *    "authFailures":N, "quotaRejections":N, "eventsDropped":N,
 *    "listeners":[{"transport":"udp","address":"10.0.0.1:3478"}]}   actual addresses
 * *json_out is released with omnirtc_free().  Any thread.
 */
omnirtc_status_t omnirtc_turn_server_stats(omnirtc_turn_server_t server, char **json_out);

/*
 * omnirtc_turn_server_close — stop listening and free every allocation (their
 * ALLOCATION_DELETED events are delivered), then deliver
 * OMNIRTC_TURN_EVENT_CLOSED.  Called from another thread it waits for that
 * final event, so no callback for this server starts after it returns; called
 * from inside this server's event callback it returns at once and CLOSED
 * follows.  A polled server's close returns once CLOSED is queued (see
 * omnirtc_turn_server_poll_events).  The handle is invalid afterwards (a second close returns
 * OMNIRTC_ERR_INVALID_HANDLE).  omnirtc_shutdown() closes every TURN server too.
 */
omnirtc_status_t omnirtc_turn_server_close(omnirtc_turn_server_t server);

/*
 * omnirtc_turn_rest_credential — make a time-limited REST credential for the
 * sharedSecret of a server (or of coturn with use-auth-secret): *username_out
 * = "<now + ttl_seconds>:<user>" and *password_out = base64(HMAC-SHA1(secret,
 * username)).  A negative ttl_seconds makes an already expired one (tests).
 * Release both with omnirtc_free().  Local work only; any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL argument, user containing ':').
 */
omnirtc_status_t omnirtc_turn_rest_credential(const char *secret, const char *user, int64_t ttl_seconds,
                                              char **username_out, char **password_out);

/* ===================================================================== */
/* WHIP and WHEP                                                          */
/* ===================================================================== */

/*
 * WHIP (RFC 9725, ingest) and WHEP (egress) signaling over HTTP: a client
 * session offers a peer's description to an endpoint (POST application/sdp,
 * 201 Created with the answer, Location, ETag and Link ice-server headers),
 * restarts ICE with PATCH application/trickle-ice-sdpfrag and If-Match, and
 * ends with DELETE; a server hands each offer to the host, which answers it
 * with a peer of its own or refuses it.  Whether a session publishes or
 * plays is what its peer's transceivers say.  One handle type serves client
 * sessions and servers; their events come one at a time, in order, pushed to
 * a callback or taken with omnirtc_whip_poll_events, from the same queue
 * (bounded at 4096 events, as a TURN server's).
 */
typedef uint64_t omnirtc_whip_t;

typedef enum omnirtc_whip_event_type {
	OMNIRTC_WHIP_EVENT_SESSION = 1,       /* server: session, path, sdp (the offer); answer or reject it */
	OMNIRTC_WHIP_EVENT_SESSION_ENDED = 2, /* server: session, reason ("deleted", "refused", "timeout",
	                                         "failed", "closed"); its peer, if any, was closed */
	OMNIRTC_WHIP_EVENT_CLOSED = 3,        /* final event: reason; the handle is already released */
	OMNIRTC_WHIP_EVENT_CONNECTED = 4,     /* client: resource (the session's URL); the answer is applied */
	OMNIRTC_WHIP_EVENT_ICE_RESTARTED = 5, /* client: an omnirtc_whip_client_restart_ice was negotiated */
	OMNIRTC_WHIP_EVENT_ERROR = 6          /* client: status (HTTP, 0 if none came), reason; a failed
	                                         start is followed by CLOSED */
} omnirtc_whip_event_type_t;

/*
 * One WHIP event.  The struct and its strings are valid only during the
 * callback (or, polled, until the next omnirtc_whip_poll_events of the
 * handle).  Fields not listed for an event type are 0 or "".  New fields are
 * only ever appended.
 */
typedef struct omnirtc_whip_event {
	int32_t type;         /* omnirtc_whip_event_type_t */
	omnirtc_whip_t whip;  /* always set */
	uint64_t session;     /* server events: the session's id, from 1 */
	int32_t status;       /* ERROR: the HTTP status */
	const char *path;     /* SESSION: the request path, which names the endpoint ("/whip", "/whep/room") */
	const char *sdp;      /* SESSION: the offer */
	const char *resource; /* CONNECTED: the resource URL */
	const char *reason;   /* SESSION_ENDED, CLOSED: why; ERROR: the message */
} omnirtc_whip_event_t;

/*
 * WHIP event callback.  Events of one handle are delivered one at a time, in
 * order, on a library thread; the callback rules at the top of this file
 * apply.
 */
typedef void (*omnirtc_whip_event_cb)(void *user_data, const omnirtc_whip_event_t *event);

/*
 * Notify callback of a polled WHIP handle, as omnirtc_turn_notify_cb: events
 * wait while the handle was armed.  Runs on a library thread; must return
 * quickly; may call any function, including omnirtc_whip_poll_events and
 * omnirtc_whip_close.
 */
typedef void (*omnirtc_whip_notify_cb)(void *user_data, omnirtc_whip_t whip);

/*
 * omnirtc_whip_client_start — offer peer's description to the endpoint url
 * once ICE gathering is complete, in the background: CONNECTED (the answer
 * applied, and the ICE servers of the response's Link headers added to the
 * peer's configuration for later gatherings) or ERROR then CLOSED follows.
 * The session takes the peer: when it ends (refused, failed, or closed) the
 * peer connection is closed (PEER_CLOSED is delivered as usual; the peer
 * handle stays the caller's to release with omnirtc_peer_close), so a
 * refused publish leaves nothing open.
 *
 * url: the endpoint, http or https.  token: a bearer token, or NULL / "" for
 * none.  Both borrowed for the call.
 * Exactly one of cb (events pushed) and notify (events polled with
 * omnirtc_whip_poll_events) is non-NULL; user_data goes to it, never
 * dereferenced, and must stay valid until CLOSED was delivered.
 * whip_out: receives the session's handle.  Never blocks; any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL url or whip_out, both or
 * neither of cb and notify), OMNIRTC_ERR_INVALID_HANDLE (peer).
 */
omnirtc_status_t omnirtc_whip_client_start(omnirtc_peer_t peer, const char *url, const char *token,
                                           omnirtc_whip_event_cb cb, omnirtc_whip_notify_cb notify, void *user_data,
                                           omnirtc_whip_t *whip_out);

/*
 * omnirtc_whip_client_start_with_options — omnirtc_whip_client_start with
 * its options as JSON, the one that can trickle: the offer goes to the
 * endpoint at once, with the candidates gathered so far, and the later ones
 * follow in PATCH requests (application/trickle-ice-sdpfrag, If-Match the
 * ETag; the last one with end-of-candidates) if the 201 carried an ETag,
 * which says the resource takes them; without one the server learns the
 * remaining addresses from the connectivity checks.  A PATCH the server
 * refuses ends the trickle, not the session.  omnirtc_whip_client_start is
 * this function with {"token":token}.
 *
 * options_json: NULL, "" or {"token":"…",    a bearer token ("" or absent: none)
 *                            "trickle":true}  send the offer before gathering
 *                                             is complete (default false)
 * borrowed for the call.  peer, url, cb, notify, user_data, whip_out: as
 * for omnirtc_whip_client_start.  Never blocks; any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL url or whip_out, both or
 * neither of cb and notify), OMNIRTC_ERR_INVALID_CONFIG (options_json
 * malformed, an unknown key or a wrong type; the message names the key),
 * OMNIRTC_ERR_INVALID_HANDLE (peer).  No event is delivered after an error.
 */
omnirtc_status_t omnirtc_whip_client_start_with_options(omnirtc_peer_t peer, const char *url, const char *options_json,
                                                        omnirtc_whip_event_cb cb, omnirtc_whip_notify_cb notify,
                                                        void *user_data, omnirtc_whip_t *whip_out);

/*
 * omnirtc_whip_client_restart_ice — restart ICE through a PATCH of the
 * resource (a new offer's credentials and candidates, If-Match the ETag);
 * ICE_RESTARTED or ERROR follows.  A request while one waits is the same
 * request.  Never blocks; any thread.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (unknown or closed, or a server).
 */
omnirtc_status_t omnirtc_whip_client_restart_ice(omnirtc_whip_t session);

/*
 * omnirtc_whip_server_start — serve WHIP and WHEP over HTTP.  A POST to any
 * path is an offer (SESSION event); resources answer PATCH (204 for trickle,
 * 200 with the answer's fragment and a new ETag for an ICE restart) and
 * DELETE (the session's peer is closed, SESSION_ENDED follows).  Errors to
 * clients: 401 with WWW-Authenticate (token missing or wrong), 415 (media
 * type), 400 (malformed SDP or fragment), 404 (no such resource), 405
 * (method), 412 (If-Match not the ETag), 503 (the host did not answer in
 * time, or the server closed).  CORS preflights are answered.
 *
 * config_json: {"address":"127.0.0.1:0",   where to listen (this default; port 0 picks one)
 *               "token":"…",               bearer token every request must carry (none if absent)
 *               "iceServers":[…],          as RTCConfiguration's, announced in Link headers
 *               "answerTimeoutMs":10000}   how long an offer waits for the host (this
 *                                          default; 0..300000)
 * cb, notify, user_data: as for omnirtc_whip_client_start.
 * whip_out: receives the server's handle; url_out: its base URL,
 * "http://ip:port", released with omnirtc_free().  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (NULL whip_out or url_out, both or
 * neither of cb and notify), OMNIRTC_ERR_INVALID_CONFIG (message names the
 * key), OMNIRTC_ERR_OPERATION (the address could not be listened on; no
 * callback is made then).
 */
omnirtc_status_t omnirtc_whip_server_start(const char *config_json, omnirtc_whip_event_cb cb,
                                           omnirtc_whip_notify_cb notify, void *user_data, omnirtc_whip_t *whip_out,
                                           char **url_out);

/*
 * omnirtc_whip_server_answer — answer a SESSION with peer: the offer is set
 * as peer's remote description unless the host already set it (to add the
 * tracks a WHEP viewer is to receive to the transceivers it made), an answer
 * is created and set, and the client gets it once ICE gathering is
 * complete.  The server takes the peer: it closes it when the session ends
 * (the handle stays the caller's to release).  Local work only; any thread,
 * also inside the SESSION callback.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (server or peer),
 * OMNIRTC_ERR_INVALID_STATE (no such session waits: answered, rejected or
 * timed out), the errors of omnirtc_peer_set_remote_description and
 * omnirtc_peer_create_answer (the session still waits then).
 */
omnirtc_status_t omnirtc_whip_server_answer(omnirtc_whip_t server, uint64_t session, omnirtc_peer_t peer);

/*
 * omnirtc_whip_server_reject — refuse a SESSION with an HTTP status (400 to
 * 599; 0 means 403) and a reason sent as the body (NULL / "" for none;
 * borrowed for the call).  SESSION_ENDED follows.  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (status), OMNIRTC_ERR_INVALID_HANDLE,
 * OMNIRTC_ERR_INVALID_STATE (no such session waits).
 */
omnirtc_status_t omnirtc_whip_server_reject(omnirtc_whip_t server, uint64_t session, int32_t status,
                                            const char *reason);

/*
 * omnirtc_whip_poll_events — take up to capacity queued events of a polled
 * client session or server, as omnirtc_turn_server_poll_events does: the
 * events and their strings stay valid until the next poll of the handle;
 * CLOSED comes alone and last, and the poll that returns it frees every
 * earlier batch and, outside notify, returns once no notify runs.  Any thread.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (events or count_out NULL, capacity
 * 0), OMNIRTC_ERR_INVALID_STATE (a handle with an event callback),
 * OMNIRTC_ERR_INVALID_HANDLE (unknown, or CLOSED was polled).
 */
omnirtc_status_t omnirtc_whip_poll_events(omnirtc_whip_t whip, omnirtc_whip_event_t *events, size_t capacity,
                                          size_t *count_out);

/*
 * omnirtc_whip_close — end a client session or a server, then deliver
 * CLOSED; the handle is invalid afterwards to every function but
 * omnirtc_whip_poll_events.  A session stops a request under way, closes its
 * peer and DELETEs its resource in the background, after CLOSED (its outcome
 * is not reported: a server forgets an unreachable session on its own).  A
 * server stops listening, ends every session (closing their peers;
 * SESSION_ENDED each) and refuses waiting offers with 503.  Called from
 * another thread than the handle's own callback, close returns once CLOSED
 * was delivered (pushed) or queued (polled), so no callback of the handle
 * starts after it; from inside that callback it returns at once and CLOSED
 * follows.  Never waits on the network.  omnirtc_shutdown() closes every
 * WHIP handle too.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (unknown or already closed).
 */
omnirtc_status_t omnirtc_whip_close(omnirtc_whip_t whip);

/* ===================================================================== */
/* Forwarder                                                              */
/* ===================================================================== */

/*
 * A forwarder sends what one remote track, or every simulcast layer of a
 * transceiver (its remote tracks, told apart by rid), receives to any number
 * of subscribers: local tracks of mode "rtp" (omnirtc_track_create with
 * {"mode":"rtp"}) of the source's codec, each sent on another peer.  Each
 * subscriber receives one layer of its own (a rid, a highest temporal layer
 * and, of an SVC stream, a highest spatial layer) and sees one continuous
 * stream: sequence numbers without gaps across switches and dropped packets,
 * timestamps rising (a new layer continues one frame after the last packet
 * sent), VP8 and VP9 picture ids and TL0PICIDX continuous, header extensions
 * of the upstream hop removed (the sender adds its own) but AV1's Dependency
 * Descriptor, which each subscriber's sender carries under the id its peer
 * negotiated.  Switches happen only where the subscriber can decode: a new
 * rid at that layer's next keyframe (the forwarder sends its sender a PLI,
 * and again while none came), a lower temporal or spatial layer at the next
 * frame, a higher temporal layer at the next frame with VP8's layer sync bit,
 * after a VP9 frame with the switching up bit (U) or at a keyframe.  VP9 SVC
 * (one SSRC, spatial layers from the payload descriptor): spatial layers
 * above the subscriber's are dropped, the marker bit set on the last packet
 * of the highest one kept, and a higher spatial layer starts at a keyframe
 * (a PLI is sent).  AV1 with the Dependency Descriptor negotiated: packets
 * are picked by the decode target of the subscriber's layers (the one with
 * the most layers not above them) from the descriptor's decode target
 * indications, and a higher target starts at a keyframe or a switch
 * indication for it.  Packets of other codecs are forwarded whole, any
 * packet a switch point.
 *
 * RTCP stays on its hop: a subscriber's PLI or FIR becomes a PLI to the
 * sender of the layer it receives (or is switching to), at most one per
 * layer every 500 ms for all subscribers together (it still raises
 * OMNIRTC_EVENT_KEYFRAME_REQUEST on the subscriber's peer); its NACKs are
 * answered by its own sender from the packets it sent (the "nack"
 * interceptor); receiver reports are never forwarded upstream.
 *
 * The source's packets are forwarded as the remote tracks read them, in any
 * receive mode; "none" (omnirtc_track_set_receive or the peer's default)
 * spares the work of the other modes.  A forwarder runs no thread of its
 * own and lives until omnirtc_forwarder_free, also after its source ended
 * or its peers closed (it then forwards nothing).  Every function may be
 * called from any thread, also from inside a callback.
 */
typedef uint64_t omnirtc_forwarder_t;

/* The temporal argument that selects every temporal layer. */
#define OMNIRTC_TEMPORAL_ALL -1

/* The spatial layer (in the JSON of a layer) that selects every one. */
#define OMNIRTC_SPATIAL_ALL -1

/*
 * omnirtc_forwarder_create — forward one remote track (a handle from
 * OMNIRTC_EVENT_TRACK).  *forwarder_out: the new forwarder, owned by the
 * caller (omnirtc_forwarder_free).  A remote track feeds one forwarder at a
 * time.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (forwarder_out NULL),
 * OMNIRTC_ERR_INVALID_STATE (the track is forwarded already),
 * OMNIRTC_ERR_INVALID_HANDLE (not a remote track).
 */
omnirtc_status_t omnirtc_forwarder_create(omnirtc_track_t remote_track, omnirtc_forwarder_t *forwarder_out);

/*
 * omnirtc_forwarder_create_group — forward every remote track of a
 * transceiver, now and to come: the layers of a simulcast group.
 * *forwarder_out as above.  A transceiver feeds one group forwarder at a
 * time.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (forwarder_out NULL),
 * OMNIRTC_ERR_INVALID_STATE (forwarded already), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_forwarder_create_group(omnirtc_transceiver_t transceiver, omnirtc_forwarder_t *forwarder_out);

/*
 * omnirtc_forwarder_add_subscriber — forward to a local track of mode "rtp",
 * from the next keyframe of the layer rid (borrowed; NULL or "": for a group,
 * the first layer whose keyframe comes, kept until set otherwise) with
 * temporal layers up to temporal (0..7, or OMNIRTC_TEMPORAL_ALL).  The track
 * is fed by one forwarder at a time and should be written by nothing else.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (a track of mode "sample", another
 * codec than the source's, a rid the source does not have, temporal out of
 * range), OMNIRTC_ERR_INVALID_STATE (the track is a subscriber already or
 * closed), OMNIRTC_ERR_INVALID_HANDLE (forwarder or local track).
 */
omnirtc_status_t omnirtc_forwarder_add_subscriber(omnirtc_forwarder_t forwarder, omnirtc_track_t track, const char *rid,
                                                  int32_t temporal);

/*
 * omnirtc_forwarder_add_subscriber_json — omnirtc_forwarder_add_subscriber
 * with the layer as JSON (layer_json, borrowed): {"rid","temporal",
 * "spatial"}, each optional: rid absent as NULL above, temporal and spatial
 * (0..7) absent or -1 for every layer (omnirtc_forwarder_add_subscriber
 * takes every spatial layer).
 * Errors: as omnirtc_forwarder_add_subscriber, and
 * OMNIRTC_ERR_INVALID_ARGUMENT (layer_json NULL, not a JSON object of those
 * keys, spatial out of range).
 */
omnirtc_status_t omnirtc_forwarder_add_subscriber_json(omnirtc_forwarder_t forwarder, omnirtc_track_t track,
                                                       const char *layer_json);

/*
 * omnirtc_forwarder_remove_subscriber — stop forwarding to the track; a
 * packet being forwarded may still reach it.  The track may then join
 * another forwarder.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (not a subscriber of this
 * forwarder), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_forwarder_remove_subscriber(omnirtc_forwarder_t forwarder, omnirtc_track_t track);

/*
 * omnirtc_forwarder_set_layer — choose the layer a subscriber receives, as
 * in omnirtc_forwarder_add_subscriber; the switch happens at the next point
 * that allows it (see above).
 * Errors: as omnirtc_forwarder_add_subscriber, and
 * OMNIRTC_ERR_INVALID_ARGUMENT (not a subscriber of this forwarder).
 */
omnirtc_status_t omnirtc_forwarder_set_layer(omnirtc_forwarder_t forwarder, omnirtc_track_t track, const char *rid,
                                             int32_t temporal);

/*
 * omnirtc_forwarder_set_layer_json — omnirtc_forwarder_set_layer with the
 * layer as JSON, as in omnirtc_forwarder_add_subscriber_json
 * (omnirtc_forwarder_set_layer selects every spatial layer).
 * Errors: as omnirtc_forwarder_add_subscriber_json, and
 * OMNIRTC_ERR_INVALID_ARGUMENT (not a subscriber of this forwarder).
 */
omnirtc_status_t omnirtc_forwarder_set_layer_json(omnirtc_forwarder_t forwarder, omnirtc_track_t track,
                                                  const char *layer_json);

/*
 * omnirtc_forwarder_get_layer — the layer a subscriber receives now:
 * {"rid","temporal","spatial","started","auto","target":{"rid","temporal","spatial"},
 * "estimate"}; temporal or spatial -1 is every layer (spatial of a stream
 * without spatial layers: 0 or -1); until started (its first packet
 * forwarded) rid, temporal and spatial are the layer asked for.  auto: the
 * layer is chosen from the subscriber's bandwidth (omnirtc_forwarder_set_auto,
 * among simulcast and temporal layers; the spatial layer stays the one set);
 * target: the layer it switches to or receives, the one chosen or set;
 * estimate: the latest estimated available bitrate of the peer sending it, in
 * bits per second (0 before the first).  Release *json_out with omnirtc_free().
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (json_out NULL, not a subscriber),
 * OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_forwarder_get_layer(omnirtc_forwarder_t forwarder, omnirtc_track_t track, char **json_out);

/*
 * omnirtc_forwarder_set_auto — with enabled non-zero, choose the subscriber's
 * layer from the estimated available bitrate of the peer sending the track:
 * GCC's target with the "gcc" interceptor, or the REMB its receiver sends
 * for the track with "remb" (the latest of either; each subscriber of a peer
 * is measured against the peer's whole estimate).  The forwarder measures
 * each layer's bitrate (per rid and temporal layer, over the last second)
 * and chooses the highest whose bitrate is at most 90% of the estimate; it
 * goes down as soon as the estimate falls below the chosen layer's bitrate,
 * and up only when the higher layer's bitrate plus 10% fits every estimate
 * of the last 2 s, so an estimate wavering around one layer does not make
 * it flap.  The layer set (omnirtc_forwarder_add_subscriber or _set_layer)
 * is the highest chosen, in rid (by bitrate) and temporal layer; until an
 * estimate comes the subscriber receives that layer.  With enabled 0 it
 * returns to the layer set.  Off for a new subscriber.
 * Errors: OMNIRTC_ERR_INVALID_ARGUMENT (not a subscriber of this
 * forwarder), OMNIRTC_ERR_INVALID_HANDLE.
 */
omnirtc_status_t omnirtc_forwarder_set_auto(omnirtc_forwarder_t forwarder, omnirtc_track_t track, int32_t enabled);

/*
 * omnirtc_forwarder_free — stop forwarding and release the forwarder; its
 * subscriber tracks stay open and may join another forwarder, its source
 * may feed another.
 * Errors: OMNIRTC_ERR_INVALID_HANDLE (unknown or already freed).
 */
omnirtc_status_t omnirtc_forwarder_free(omnirtc_forwarder_t forwarder);

#ifdef __cplusplus
}
#endif

#endif /* OMNIRTC_H */

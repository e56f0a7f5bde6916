'use strict';
// omnirtc: the W3C WebRTC API for Node.js on OmniRTC's engine.
const native = require('./native');
const { RTCPeerConnection } = require('./rtcpeerconnection');
const { RTCDataChannel } = require('./rtcdatachannel');
const { RTCSessionDescription } = require('./rtcsessiondescription');
const { RTCIceCandidate } = require('./rtcicecandidate');
const { RTCPeerConnectionIceEvent, RTCDataChannelEvent } = require('./events');
const { RTCError, RTCErrorEvent } = require('./rtcerror');
const { RTCCertificate } = require('./rtccertificate');
const { MediaReader, MediaWriter } = require('./mediafile');
const { EncodedTrack, RemoteTrack, MediaStream, MediaStreamTrackEvent, RTCTrackEvent, RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver } = require('./media');
const { RTCDTMFSender, RTCDTMFToneChangeEvent } = require('./rtcdtmfsender');
const { TurnServer, TurnAllocationEvent } = require('./turnserver');
const { Forwarder } = require('./forwarder');
const { WhipError, WhipServer, WhipSession, WhipSessionEvent, whipPublish, whepPlay } = require('./whip');
const { RTCIceTransport, RTCDtlsTransport, RTCSctpTransport } = require('./rtctransports');
const { setGC, getGC } = require('./gc');
const { setLogger } = require('./logs');

/** The loaded libomnirtc's version. */
function libraryVersion() {
  return native.version();
}

/** Live handles, goroutines and sockets of the library, for leak checks. */
function debugCounters() {
  return JSON.parse(native.debugCounters());
}

// Shorthand properties only: Node finds an ESM importer's named exports by
// reading this literal (cjs-module-lexer), and skips any other value.
module.exports = {
  RTCPeerConnection,
  RTCDataChannel,
  RTCSessionDescription,
  RTCIceCandidate,
  RTCPeerConnectionIceEvent,
  RTCDataChannelEvent,
  RTCError,
  RTCErrorEvent,
  RTCCertificate,
  EncodedTrack,
  RemoteTrack,
  MediaStream,
  MediaStreamTrackEvent,
  RTCTrackEvent,
  RTCRtpSender,
  RTCRtpReceiver,
  RTCRtpTransceiver,
  RTCDTMFSender,
  RTCDTMFToneChangeEvent,
  RTCIceTransport,
  RTCDtlsTransport,
  RTCSctpTransport,
  MediaReader,
  MediaWriter,
  TurnServer,
  TurnAllocationEvent,
  WhipError,
  WhipServer,
  WhipSession,
  WhipSessionEvent,
  whipPublish,
  whepPlay,
  Forwarder,
  libraryVersion,
  debugCounters,
  setGC,
  getGC,
  setLogger,
};

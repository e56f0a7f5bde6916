'use strict';

/** RTCIceCandidate, with the fields browsers parse out of the candidate line. */
class RTCIceCandidate {
  constructor(init = {}) {
    if (init.sdpMid == null && init.sdpMLineIndex == null) {
      throw new TypeError('RTCIceCandidate needs sdpMid or sdpMLineIndex');
    }
    this.candidate = init.candidate === undefined ? '' : String(init.candidate);
    this.sdpMid = init.sdpMid ?? null;
    this.sdpMLineIndex = init.sdpMLineIndex ?? null;
    this.usernameFragment = init.usernameFragment ?? null;
    const bits = this.candidate.replace(/^candidate:/, '').split(/\s+/);
    const attr = (name) => { const i = bits.indexOf(name); return i > 0 ? bits[i + 1] : null; };
    this.foundation = bits[0] || null;
    this.component = bits[1] === '1' ? 'rtp' : bits[1] === '2' ? 'rtcp' : null;
    this.protocol = bits[2] ? bits[2].toLowerCase() : null;
    this.priority = bits[3] ? Number(bits[3]) : null;
    this.address = bits[4] || null;
    this.port = bits[5] ? Number(bits[5]) : null;
    this.type = attr('typ');
    this.tcpType = attr('tcptype');
    this.relatedAddress = attr('raddr');
    this.relatedPort = attr('rport') ? Number(attr('rport')) : null;
  }

  toJSON() {
    return {
      candidate: this.candidate,
      sdpMid: this.sdpMid,
      sdpMLineIndex: this.sdpMLineIndex,
      usernameFragment: this.usernameFragment,
    };
  }
}

module.exports = { RTCIceCandidate };

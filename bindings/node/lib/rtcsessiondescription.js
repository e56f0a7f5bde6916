'use strict';

const TYPES = ['offer', 'pranswer', 'answer', 'rollback'];

class RTCSessionDescription {
  /** @param {{type?: string, sdp?: string}} [init] */
  constructor(init = {}) {
    if (init === null || typeof init !== 'object') throw new TypeError('RTCSessionDescriptionInit must be an object');
    if (!TYPES.includes(init.type)) throw new TypeError(`type must be one of ${TYPES.join(', ')}`);
    this.type = init.type;
    this.sdp = init.sdp === undefined ? '' : String(init.sdp);
  }

  toJSON() { return { type: this.type, sdp: this.sdp }; }
}

module.exports = { RTCSessionDescription, TYPES };

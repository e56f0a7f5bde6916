'use strict';
// RTCCertificate and RTCPeerConnection.generateCertificate (webrtc-pc 4.9).
// The library makes and reads the certificate (omnirtc_certificate_generate,
// omnirtc_certificate_info); this keeps its PEM text out of sight.
const native = require('./native');
const { toW3C } = require('./errors');

const CONSTRUCT = Symbol('RTCCertificate');
let pemOf;

class RTCCertificate {
  // the certificate and its private key: private, so neither enumeration nor
  // JSON.stringify shows the key
  #pem;
  #expires;
  #fingerprints;

  /** @internal Not for users: RTCPeerConnection.generateCertificate makes them. */
  constructor(key, pem) {
    if (key !== CONSTRUCT) throw new TypeError('Illegal constructor');
    const info = JSON.parse(native.certificateInfo(pem));
    this.#pem = pem;
    this.#expires = info.expires;
    this.#fingerprints = Object.freeze(info.fingerprints.map((f) => Object.freeze({ ...f })));
  }

  /** When the certificate expires, in milliseconds since 1970-01-01T00:00:00Z. */
  get expires() { return this.#expires; }

  /** [{algorithm: 'sha-256', value: 'ab:cd:…'}], the fingerprints a peer made with it announces. */
  getFingerprints() { return this.#fingerprints.map((f) => ({ ...f })); }

  /** OmniRTC: the certificate and its private key as PEM text, to store and give to fromPEM later. */
  toPEM() { return this.#pem; }

  /** OmniRTC: a certificate stored with toPEM() (or omnirtc_generate_certificate in C). */
  static fromPEM(pem) {
    if (typeof pem !== 'string') throw new TypeError('fromPEM takes the PEM text of a certificate and its key');
    try {
      return new RTCCertificate(CONSTRUCT, pem);
    } catch (error) {
      throw toW3C(error);
    }
  }

  static {
    pemOf = (certificate) => certificate.#pem;
  }
}

Object.defineProperty(RTCCertificate.prototype, Symbol.toStringTag, { value: 'RTCCertificate', configurable: true });

/** The library's JSON of a WebCrypto AlgorithmIdentifier with "expires" (webrtc-pc 4.9). */
function keygenJSON(algorithm) {
  if (typeof algorithm === 'string') return JSON.stringify({ name: algorithm });
  if (algorithm === null || typeof algorithm !== 'object') {
    throw new TypeError('generateCertificate takes an algorithm: an object or a name');
  }
  if (algorithm.name === undefined) throw new TypeError("the algorithm's name is required");
  const body = { name: String(algorithm.name) };
  if (algorithm.namedCurve !== undefined) body.namedCurve = String(algorithm.namedCurve);
  if (algorithm.modulusLength !== undefined) body.modulusLength = Number(algorithm.modulusLength) >>> 0;
  if (algorithm.publicExponent !== undefined) {
    if (!(algorithm.publicExponent instanceof Uint8Array)) throw new TypeError('publicExponent must be a Uint8Array');
    body.publicExponent = Array.from(algorithm.publicExponent);
  }
  const hash = algorithm.hash;
  if (hash !== undefined) body.hash = String(typeof hash === 'object' && hash !== null ? hash.name : hash);
  if (algorithm.expires !== undefined) {
    const expires = Number(algorithm.expires);
    if (!Number.isFinite(expires) || expires < 0) throw new TypeError('expires must be a number of milliseconds');
    body.expires = Math.trunc(expires);
  }
  return JSON.stringify(body);
}

/** RTCPeerConnection.generateCertificate(keygenAlgorithm): a Promise of an RTCCertificate. */
function generateCertificate(keygenAlgorithm) {
  try {
    return Promise.resolve(new RTCCertificate(CONSTRUCT, native.certificateGenerate(keygenJSON(keygenAlgorithm))));
  } catch (error) {
    return Promise.reject(toW3C(error));
  }
}

/** RTCConfiguration.certificates as the library takes them: PEM texts. */
function certificatePEMs(certificates) {
  if (!Array.isArray(certificates)) throw new TypeError('certificates must be an array of RTCCertificate');
  return certificates.map((certificate) => {
    if (certificate instanceof RTCCertificate) return pemOf(certificate);
    if (typeof certificate === 'string') return certificate; // PEM text, as before RTCCertificate
    throw new TypeError('certificates must be RTCCertificate objects');
  });
}

module.exports = { RTCCertificate, generateCertificate, certificatePEMs };

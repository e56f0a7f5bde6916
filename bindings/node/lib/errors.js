'use strict';
// Library status codes become the errors the W3C API names.

const NAMES = {
  OMNIRTC_ERR_INVALID_STATE: 'InvalidStateError',
  OMNIRTC_ERR_INVALID_HANDLE: 'InvalidStateError', // the object was closed
  OMNIRTC_ERR_INVALID_SDP: 'InvalidAccessError',
  OMNIRTC_ERR_INVALID_CANDIDATE: 'OperationError',
  OMNIRTC_ERR_OPERATION: 'OperationError',
  OMNIRTC_ERR_INTERNAL: 'OperationError',
  OMNIRTC_ERR_FORKED: 'OperationError',
  OMNIRTC_ERR_NOT_SUPPORTED: 'NotSupportedError',
  OMNIRTC_ERR_INVALID_SYNTAX: 'SyntaxError',
  OMNIRTC_ERR_INVALID_ACCESS: 'InvalidAccessError',
  OMNIRTC_ERR_INVALID_MODIFICATION: 'InvalidModificationError',
  OMNIRTC_ERR_INVALID_CHARACTER: 'InvalidCharacterError',
};

/** The W3C error for a failed addon call (TypeError where the spec says so). */
function toW3C(error) {
  if (!error || typeof error.code !== 'string' || !error.code.startsWith('OMNIRTC_')) return error;
  let result;
  if (error.code === 'OMNIRTC_ERR_INVALID_ARGUMENT' || error.code === 'OMNIRTC_ERR_TOO_LARGE'
      || error.code === 'OMNIRTC_ERR_INVALID_CONFIG') {
    result = new TypeError(error.message);
  } else {
    result = new DOMException(error.message, NAMES[error.code] || 'OperationError');
  }
  Object.defineProperty(result, 'omnirtcStatus', { value: error.status });
  return result;
}

/** Calls fn, rethrowing library errors as W3C errors. */
function w3c(fn) {
  try {
    return fn();
  } catch (error) {
    throw toW3C(error);
  }
}

function invalidState(message) {
  return new DOMException(message, 'InvalidStateError');
}

module.exports = { toW3C, w3c, invalidState };

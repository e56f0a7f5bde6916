'use strict';
// The header's constants by name without the OMNIRTC_ prefix (the addon's
// `constants`, generated from include/omnirtc.h when it is built), and the
// W3C names of its state enums.
const native = require('./native');

const constants = native.constants;

/** The W3C names of the constants PREFIX*, by value: SIGNALING_HAVE_LOCAL_OFFER is 'have-local-offer'. */
function stateNames(prefix) {
  const names = [];
  for (const [name, value] of Object.entries(constants)) {
    if (name.startsWith(prefix)) names[value] = name.slice(prefix.length).toLowerCase().replaceAll('_', '-');
  }
  return names;
}

module.exports = { C: constants, stateNames };

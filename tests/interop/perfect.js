// The runner's half of "perfect negotiation" (W3C webrtc-pc 10.7, the
// example the spec gives, as MDN tells it): each agent offers when it fires
// negotiationneeded, and the polite one gives way when offers collide.
'use strict';

const SIDES = ['browser', 'library'];

/**
 * Puts both agents of session `s` in perfect-negotiation mode (the `perfect`
 * operation) with `polite` the polite side, which rolls back its colliding
 * offer implicitly (setRemoteDescription of the offer) or explicitly
 * (setLocalDescription({type: 'rollback'}) first). Each agent's
 * negotiationneeded event is answered with an `offer` operation, as the
 * example's onnegotiationneeded handler makes one. Glare is made certain:
 * each side's signals are held until both have sent an offer, so the two
 * offers cross.
 */
async function perfectNegotiation(s, { polite, rollback }) {
  for (const side of SIDES) {
    await s.side(side).call('perfect', { polite: side === polite, rollback });
    s.side(side).onEvent = (e) => {
      if (e.ev !== 'negotiationneeded') return;
      s.side(side).call('offer', {}).catch((error) => s.side(side).log.push(`offer on negotiationneeded: ${error.message}\n`));
    };
  }
  let held = { browser: [], library: [] };
  s.hold = (from, signal) => {
    if (!held) return false;
    held[from].push(signal);
    if (!SIDES.every((side) => held[side].some((m) => m.type === 'offer'))) return true;
    const release = held;
    held = null;
    for (const side of SIDES) for (const m of release[side]) s.relay(side, m);
    return true;
  };
}

module.exports = { perfectNegotiation };

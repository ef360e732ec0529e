import { PitbossError } from '@pitboss/contracts';

import { type GameConfig, type MathVersion } from './game-config';

/**
 * True when `proposed` differs from `current` only by features switched off: a kill switch, which one person
 * may pull at once. Everything else (a feature on, limits, bans, maths) waits for a second person.
 */
export function onlyTurnsFeaturesOff(current: GameConfig | null, proposed: GameConfig): boolean {
  if (current === null) return false;
  const switchedOff = Object.keys(current.features).filter(
    // eslint-disable-next-line security/detect-object-injection -- feature is a GameFeature, a key of features by type
    (feature) => current.features[feature] === true && proposed.features[feature] !== true,
  );
  if (switchedOff.length === 0) return false;
  const anythingTurnedOn = Object.keys(proposed.features).some(
    // eslint-disable-next-line security/detect-object-injection -- feature is a GameFeature, a key of features by type
    (feature) => proposed.features[feature] === true && current.features[feature] !== true,
  );
  if (anythingTurnedOn) return false;
  const { features: _current, ...currentRest } = current;
  const { features: _proposed, ...proposedRest } = proposed;
  return sameJson(currentRest, proposedRest);
}

/**
 * A certified math version is frozen: the same version id with another RTP, corridor or certificate is refused
 * (a change of maths is a new version). Its RTP must lie in its own corridor.
 */
export function assertMathVersionAllowed(known: readonly MathVersion[], proposed: MathVersion | null): void {
  if (proposed === null) return;
  const { min, max } = proposed.rtp_corridor_bp;
  if (min > max || proposed.certified_rtp_bp < min || proposed.certified_rtp_bp > max) {
    throw new PitbossError(
      'INVALID_REQUEST',
      `certified RTP ${proposed.certified_rtp_bp} bp must lie in its corridor ${min}..${max} bp`,
      { fields: [{ path: 'payload.math.certified_rtp_bp', problem: 'outside its corridor' }] },
    );
  }
  const existing = known.find((math) => math.version === proposed.version);
  if (existing !== undefined && !sameJson(existing, proposed)) {
    throw new PitbossError(
      'MATH_VERSION_FROZEN',
      `math version ${proposed.version} is certified and frozen; certify a new version for other figures`,
      { version: proposed.version },
    );
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, sortKeys(inner)]),
    );
  }
  return value;
}

import { type GameRtp } from './rounds/round-window';
import { type RtpCorridor } from './scrape/scrape-figures';

export interface RtpVersusCorridor extends GameRtp {
  /** The certified corridor of the game's math version (or of the game, when the bets carry no version). */
  readonly corridor: { readonly certified: number; readonly min: number; readonly max: number } | null;
  /** Whether the actual RTP lies within the corridor; null without an RTP or a corridor. */
  readonly inCorridor: boolean | null;
}

/**
 * Puts each game's actual RTP next to its certified corridor from the gateway's config gauges. A bet's math
 * version names the certificate exactly; bets without one are compared with the game's only corridor, and with
 * none when the game has several (which one applied is then unknown).
 */
export function rtpVersusCorridors(
  rows: readonly GameRtp[],
  corridors: readonly RtpCorridor[],
): RtpVersusCorridor[] {
  return rows.map((row) => {
    const ofGame = corridors.filter((corridor) => corridor.game === row.game);
    const versions = new Set(ofGame.map((corridor) => corridor.mathVersion));
    const match =
      row.mathVersion !== null
        ? ofGame.find((corridor) => corridor.mathVersion === row.mathVersion)
        : versions.size === 1
          ? ofGame[0]
          : undefined;
    const corridor =
      match === undefined ? null : { certified: match.certified, min: match.min, max: match.max };
    const inCorridor =
      corridor === null || row.rtp === null ? null : row.rtp >= corridor.min && row.rtp <= corridor.max;
    return { ...row, corridor, inCorridor };
  });
}

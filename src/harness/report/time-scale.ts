/**
 * What a report says about the run's time scale, worded once for every format (console, HTML, summary.md, JUnit,
 * report.json). The scale multiplies the harness's and the virtual partners' protocol waits; the partner under test
 * answers in real time whatever it is. So only at 1 do latency and quality figures stand for what the partner would
 * show at Hubject: below 1 the partner had less real time than OICP gives it and each protocol wait stood for more
 * time than passed; above 1 it had more time than OICP gives, so a pass does not show it meets the limits.
 */

export interface TimeScaleStatement {
  timeScale: number;
  /** Latency and quality figures stand for real protocol time: true only at time scale 1. */
  representative: boolean;
  /** The scale with what it does, e.g. `0.02 (protocol time compressed 50×)`. */
  label: string;
  /** The scale and what it means for the figures, in one paragraph. */
  note: string;
}

import { COMPRESSED_DEADLINE_ALLOWANCE_MS, compressedDeadlineMs } from '../../shared/clock.js';

/** A number as people read it: at most three significant digits, no trailing zeros. */
const short = (n: number): string => String(Number(n.toPrecision(3)));

/** An example limit, the remote-start one of Hubject's integration guide; the run's own may be set otherwise. */
const EXAMPLE_LIMIT_S = 60;

export function timeScaleStatement(timeScale: number): TimeScaleStatement {
  if (timeScale === 1) {
    return {
      timeScale,
      representative: true,
      label: '1 (real protocol time)',
      note: 'Time scale 1 (real protocol time): every protocol wait lasted as long as OICP allows, so latency and quality figures are representative.',
    };
  }
  // As the run's clock allowed it: compressed, plus the allowance for real transport and processing.
  const allowance =
    timeScale < 1 ? `, ${COMPRESSED_DEADLINE_ALLOWANCE_MS / 1000} s of it for transport and processing` : '';
  const example = `a ${EXAMPLE_LIMIT_S} s limit was ${short(compressedDeadlineMs(EXAMPLE_LIMIT_S * 1000, timeScale) / 1000)} s${allowance}`;
  const certify = 'Run at --time-scale real (1) before certification.';
  if (timeScale < 1) {
    const label = `${timeScale} (protocol time compressed ${short(1 / timeScale)}×)`;
    return {
      timeScale,
      representative: false,
      label,
      note:
        `Time scale ${label}: latency and quality figures are not representative. The partner had less real time ` +
        `than OICP allows (${example}), and each protocol wait stood for ${short(1 / timeScale)} times the time that ` +
        `passed. Limits read as the real time the partner had, then the protocol time they stand for. ${certify}`,
    };
  }
  // The CLI refuses a scale above 1; a program calling certify() may still pass one, and its report must say so.
  const label = `${timeScale} (protocol time stretched ${short(timeScale)}×)`;
  return {
    timeScale,
    representative: false,
    label,
    note:
      `Time scale ${label}: latency and quality figures are not representative. The partner had more real time ` +
      `than OICP allows (${example}), so a pass does not show that it meets the protocol's limits. ${certify}`,
  };
}

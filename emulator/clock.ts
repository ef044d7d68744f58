// The emulator's clock: real time plus an offset, set at start and then only growing. Tests move it forward to make
// Twilio's timers fire without waiting for them; it never runs backwards, so every date the
// emulator has answered stays in the past. It is never set or moved past the latest date the
// emulator answers (9999-12-31T23:59:59Z); a move that would pass it is refused and changes nothing,
// and once there it stops rather than run on into year 10000 as real time passes.
import { LATEST_INSTANT, LATEST_INSTANT_MS, isAnswerableInstant, parseDate, parseDurationSeconds } from "./values";

export interface Clock {
  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number;
  /** Moves the clock forward by a number of milliseconds or an ISO 8601 duration (`PT2H`, `P7D`). */
  advance(by: number | string): number;
  /** Moves the clock forward to an instant (ms or ISO 8601 date-time); never backwards. */
  advanceTo(instant: number | string): number;
  /** How far ahead of real time the clock is, in ms. */
  offsetMs(): number;
}

export function createClock(start?: number | string, realNow: () => number = Date.now): Clock {
  let offset = start === undefined ? 0 : instantMs(start) - realNow();
  const clock: Clock = {
    now: () => Math.min(realNow() + offset, LATEST_INSTANT_MS),
    advance(by) {
      const ms = typeof by === "number" ? by : durationMs(by);
      if (Number.isNaN(ms) || ms < 0) throw new RangeError(`the clock only moves forward: got ${JSON.stringify(by)}`);
      if (ms > 0 && !isAnswerableInstant(clock.now() + ms)) throw pastLatest(`advancing by ${JSON.stringify(by)}`);
      offset += ms;
      return clock.now();
    },
    advanceTo(instant) {
      const target = instantMs(instant);
      const now = clock.now();
      if (target < now) {
        throw new RangeError(`the clock only moves forward: ${new Date(target).toISOString()} is before ${new Date(now).toISOString()}`);
      }
      offset += target - now;
      return clock.now();
    },
    offsetMs: () => offset,
  };
  return clock;
}

function instantMs(instant: number | string): number {
  const ms = typeof instant === "number" ? instant : parseDate(instant);
  if (ms === null || !Number.isFinite(ms)) {
    throw new RangeError(`expected an ISO 8601 date-time such as 2030-01-31T12:00:00Z, got ${JSON.stringify(instant)}`);
  }
  if (!isAnswerableInstant(ms)) throw pastLatest(`setting it to ${JSON.stringify(instant)}`);
  return ms;
}

function pastLatest(move: string): RangeError {
  return new RangeError(`the clock can't go past ${LATEST_INSTANT} (nor before year 0000), the latest date the emulator answers: ${move} would`);
}

function durationMs(text: string): number {
  const seconds = parseDurationSeconds(text);
  if (seconds === null) throw new RangeError(`expected an ISO 8601 duration such as PT2H or P7D, got ${JSON.stringify(text)}`);
  return seconds * 1000;
}

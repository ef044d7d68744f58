// Twilio's documented write limits (actions per second): 30 per conversation for message writes
// and conversation updates, 30 per service for conversation create/delete. A sliding one-second
// window per key; reads are never limited.

export const APS_LIMIT = 30;
const WINDOW_MS = 1000;

export interface RateLimiter {
  /** Records one action for the key and says whether it fits within the limit. */
  tryAcquire(key: string, now: number): boolean;
  reset(): void;
}

export function createRateLimiter(limit: number = APS_LIMIT): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    tryAcquire(key, now) {
      const recent = (windows.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
      if (recent.length >= limit) {
        windows.set(key, recent);
        return false;
      }
      recent.push(now);
      windows.set(key, recent);
      return true;
    },
    reset() {
      windows.clear();
    },
  };
}

export const apsKeys = {
  conversation: (conversationSid: string) => `conversation:${conversationSid}`,
  service: (serviceSid: string) => `service:${serviceSid}`,
};

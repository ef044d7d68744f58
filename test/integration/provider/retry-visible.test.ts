// A slow run never looks hung: each retry that waits a second or more writes one line to the
// provider process's stderr, which the engine shows as a diagnostic of the run.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

afterEach(() => {
  env.emulator.clearFaults();
  vi.restoreAllMocks();
});

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe("retries are visible", () => {
  it("a 429 asking for a second's wait prints what, which attempt of how many, why and how long", async () => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 429, count: 1, retryAfter: 1 }]);
    const written = captureStderr();
    const { id } = await createThrough(env.conversations, { resourceName: "visible", friendlyName: "visible" });
    vi.restoreAllMocks();
    expect(id).toMatch(/^CH/);
    expect(written).toEqual([
      'create conversation "visible": POST /v1/Conversations attempt 1 of 8 failed (HTTP 429); retrying in 1s\n',
    ]);
    expect(written.join("")).not.toContain(env.emulator.credentials.authToken);
    expect(written.join("")).not.toContain(env.emulator.url);
  });

  it("a short wait passes without a line", async () => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 429, count: 2, retryAfter: 0 }]);
    const written = captureStderr();
    await createThrough(env.conversations, { resourceName: "quiet", friendlyName: "quiet" });
    vi.restoreAllMocks();
    expect(written).toEqual([]);
  });
});

import { parseEvents, type Event } from "js-yaml";
import { describe, expect, it } from "vitest";
import { buildSourceMap, sourceMapWhenAsked } from "../../../schemas/source-map";

const TEXT = "conversations:\n  lobby:\n    friendlyName: Lobby\n    messages:\n      - body: Hi\n";

describe("the source map built when a problem asks", () => {
  it("answers as the source map built at once", () => {
    const events = parseEvents(TEXT, { filename: "stack.yaml" });
    const now = buildSourceMap(TEXT, events);
    const asked = sourceMapWhenAsked(TEXT, events);
    for (const path of [["conversations"], ["conversations", "lobby", "friendlyName"], ["conversations", "lobby", "messages", 0, "body"], ["conversations", "missing", "x"]]) {
      expect(asked.nearest(path)).toEqual(now.nearest(path));
    }
    for (const offset of [0, 17, TEXT.indexOf("Lobby"), TEXT.length - 1]) {
      expect(asked.position(offset)).toEqual(now.position(offset));
      expect(asked.pathAt(offset)).toEqual(now.pathAt(offset));
    }
  });

  it("reads the parser's events only when asked where something is", () => {
    const events = parseEvents(TEXT, { filename: "stack.yaml" });
    let reads = 0;
    const watched = new Proxy(events, { get: (target, key, receiver) => (reads++, Reflect.get(target, key, receiver)) }) as readonly Event[];
    const map = sourceMapWhenAsked(TEXT, watched);
    expect(reads).toBe(0);
    expect(map.position(TEXT.indexOf("Lobby"))).toMatchObject({ line: 3 });
    expect(reads).toBeGreaterThan(0);
  });
});

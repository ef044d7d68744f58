// Emulator benchmark: fetch throughput over loopback with keep-alive (the emulator runs as its own
// process, as it does beside other benchmarks), write throughput, and the heap taken by 100,000
// stored messages.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { createStore, insertConversation, insertMessage } from "../emulator/store";
import type { BenchMetric } from "./metric";

const AUTH = "Basic " + Buffer.from("AC00000000000000000000000000000000:emulator-auth-token").toString("base64");
const IN_FLIGHT = 32;

async function startChild(args: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.resolve(__dirname, "../emulator/cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  return { url: line.replace("listening on ", ""), child };
}

function request(agent: http.Agent, url: string, method: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          Authorization: AUTH,
          ...(body === undefined ? {} : { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Requests per second completed by IN_FLIGHT concurrent loops during `durationMs`. */
async function throughput(makeRequest: () => Promise<{ status: number }>, durationMs: number): Promise<number> {
  let completed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const { status } = await makeRequest();
      if (status >= 400) throw new Error(`benchmark request failed with ${status}`);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  return completed / ((performance.now() - started) / 1000);
}

function collectGarbage(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/** Heap bytes held by 100,000 messages (100 conversations of 1,000), measured in-process. */
function messageMemoryBytes(): number {
  const gc = collectGarbage();
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = createStore();
  const now = Date.now();
  for (let c = 0; c < 100; c++) {
    const conversation = insertConversation(store, {
      serviceSid: store.defaultServiceSid,
      uniqueName: `bench-${c}`,
      friendlyName: `Benchmark conversation ${c}`,
      attributes: null,
      state: "active",
      messagingServiceSid: null,
      dateCreated: now,
      dateUpdated: now,
      timers: {},
      bindingsEmail: null,
    });
    for (let m = 0; m < 1000; m++) {
      insertMessage(store, conversation, {
        author: "system",
        body: `Benchmark message ${m} with a body of typical length for a chat line.`,
        mediaSid: null,
        contentSid: null,
        contentVariables: null,
        attributes: null,
        subject: null,
        dateCreated: now,
        dateUpdated: now,
      });
    }
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  if (store.messages.size !== 100_000) throw new Error("expected 100,000 stored messages");
  return after - before;
}

/** Message creates per second with `--state-file`, where each one is journaled before its answer. */
async function durableWriteThroughput(): Promise<number> {
  const directory = mkdtempSync(path.join(tmpdir(), "bench-state-"));
  const { url, child } = await startChild(["--state-file", path.join(directory, "state.json")]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  try {
    const created = await request(agent, `${url}/v1/Conversations`, "POST", "FriendlyName=bench");
    const sid = (JSON.parse(created.text) as { sid: string }).sid;
    const create = () => request(agent, `${url}/v1/Conversations/${sid}/Messages`, "POST", "Body=hello");
    await throughput(create, 300); // warm-up
    return await throughput(create, 1000);
  } finally {
    agent.destroy();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchMetric[]> {
  const { url, child } = await startChild();
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  try {
    const created = await request(agent, `${url}/v1/Conversations`, "POST", "FriendlyName=bench&UniqueName=bench");
    const sid = (JSON.parse(created.text) as { sid: string }).sid;
    const fetchOne = () => request(agent, `${url}/v1/Conversations/${sid}`, "GET");
    await throughput(fetchOne, 300); // warm-up
    const fetches = await throughput(fetchOne, 2000);
    const writes = await throughput(() => request(agent, `${url}/v1/Conversations/${sid}/Messages`, "POST", "Body=hello"), 1000);
    const durableWrites = await durableWriteThroughput();
    const memory = messageMemoryBytes();
    return [
      { name: "emulator.fetch_throughput", value: Math.round(fetches), unit: "req/s", target: 5000, better: "higher" },
      { name: "emulator.message_create_throughput", value: Math.round(writes), unit: "req/s", better: "higher" },
      { name: "emulator.message_create_throughput_state_file", value: Math.round(durableWrites), unit: "req/s", better: "higher" },
      { name: "emulator.memory_100k_messages", value: Math.round((memory / 1024 / 1024) * 10) / 10, unit: "MiB", better: "lower" },
      { name: "emulator.bytes_per_message", value: Math.round(memory / 100_000), unit: "B", better: "lower" },
    ];
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
  }
}

if (require.main === module) {
  run().then(
    (metrics) => {
      for (const metric of metrics) console.log(`${metric.name}: ${metric.value} ${metric.unit}${metric.target ? ` (target ${metric.target})` : ""}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// Push credentials (/v1/Credentials) through the official twilio client, with every response checked
// against the spec's response schema; refusals with their codes; pagination; the state dump and the
// state file; and no secret (certificate, private key, API key, server key) in any answer, the
// request log, the state dump, the state file or its journal.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { journalPath, loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const emulator = sharedEmulator();
const CREDENTIALS = "/v1/Credentials";

/** Secrets no answer, log or file may ever hold. */
const SECRETS = {
  certificate: "-----BEGIN CERTIFICATE-----\nMIIFnTCCBIWgAwIBAgIIAjy9H849+E8wDQYJKoZIhvcNAQEF-certificate-secret-1\n-----END CERTIFICATE-----",
  privateKey: "-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAuyf/lNrH9ck8DmNyo3fG-private-key-secret-2\n-----END RSA PRIVATE KEY-----",
  apiKey: "gcm-api-key-secret-3-AIzaSyD",
  secret: "fcm-server-key-secret-4-AAAA",
};
const ROTATED = { certificate: "rotated-certificate-secret-5", privateKey: "rotated-private-key-secret-6", secret: "rotated-fcm-server-key-secret-7" };
/** Distinctive pieces of each secret, raw and as they look form- or JSON-encoded. */
const NEEDLES = [...Object.values(SECRETS), ...Object.values(ROTATED)].flatMap((value) => {
  const marker = /[a-z0-9-]*secret-\d/.exec(value)![0];
  return [marker, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
});

function leaks(text: string): string[] {
  return NEEDLES.filter((needle) => text.includes(needle));
}

describe.skipIf(!spec)(`credentials through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("creates apn, gcm and fcm credentials, fetches, updates, lists and deletes them", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const apn = await v1.credentials.create({
      type: "apn",
      friendlyName: "iOS push",
      certificate: SECRETS.certificate,
      privateKey: SECRETS.privateKey,
      sandbox: true,
    });
    expect(apn.sid).toMatch(/^CR[0-9a-f]{32}$/);
    expect(apn.toJSON()).toEqual({
      sid: apn.sid,
      accountSid: emulator.credentials.accountSid,
      friendlyName: "iOS push",
      type: "apn",
      sandbox: "True",
      dateCreated: apn.dateCreated,
      dateUpdated: apn.dateCreated,
      url: `${emulator.url}/v1/Credentials/${apn.sid}`,
    });
    // The spec's example: the type in any case (`GcM`), answered lower-case; sandbox "False" by default.
    const gcm = await v1.credentials.create({ type: "GcM" as any, apiKey: SECRETS.apiKey });
    expect(gcm).toMatchObject({ type: "gcm", friendlyName: null, sandbox: "False" });
    const fcm = await v1.credentials.create({ type: "fcm", friendlyName: "Android push", secret: SECRETS.secret });
    expect(fcm).toMatchObject({ type: "fcm", sandbox: "False" });

    expect((await v1.credentials(apn.sid).fetch()).toJSON()).toEqual(apn.toJSON());
    const updated = await v1.credentials(apn.sid).update({ friendlyName: "iOS push (production)", sandbox: false, certificate: ROTATED.certificate, privateKey: ROTATED.privateKey });
    expect(updated).toMatchObject({ sid: apn.sid, friendlyName: "iOS push (production)", sandbox: "False", type: "apn" });
    expect(await v1.credentials(fcm.sid).update({ secret: ROTATED.secret })).toMatchObject({ friendlyName: "Android push" });

    expect((await v1.credentials.list()).map((c) => c.sid)).toEqual([apn.sid, gcm.sid, fcm.sid]);
    expect(await v1.credentials(gcm.sid).remove()).toBe(true);
    await expect(v1.credentials(gcm.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect((await v1.credentials.list()).map((c) => c.sid)).toEqual([apn.sid, fcm.sid]);
    expect(exchangeProblems(exchanges)).toEqual([]);
    expect(leaks(JSON.stringify(exchanges))).toEqual([]);
  });

  it("pages in creation order, up to 100 a page", async () => {
    const { v1, exchanges } = twilioClient(emulator, "apiKey");
    const names = Array.from({ length: 5 }, (_, i) => `push-${i}`);
    for (const friendlyName of names) await v1.credentials.create({ type: "fcm", friendlyName });
    const first = await v1.credentials.page({ pageSize: 2 });
    expect(first.instances.map((c) => c.friendlyName)).toEqual(names.slice(0, 2));
    const second = await first.nextPage();
    expect(second!.instances.map((c) => c.friendlyName)).toEqual(names.slice(2, 4));
    const third = await second!.nextPage();
    expect(third!.instances.map((c) => c.friendlyName)).toEqual(names.slice(4));
    expect(await third!.nextPage()).toBeUndefined();
    const whole = await raw(emulator, "GET", CREDENTIALS);
    expect(whole.body.meta).toMatchObject({ key: "credentials", page_size: 50, url: `${emulator.url}${CREDENTIALS}?PageSize=50&Page=0` });
    expect((await raw(emulator, "GET", `${CREDENTIALS}?PageSize=100`)).status).toBe(200);
    expectTwilioError(await raw(emulator, "GET", `${CREDENTIALS}?PageSize=101`), 400, 400);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });
});

describe("credential rules and their error codes", () => {
  it.each<[string, number, number, Record<string, string>]>([
    ["no Type", 400, 70105, { FriendlyName: "x" }],
    ["an unknown Type", 400, 70105, { Type: "apns" }],
    ["a FriendlyName of 65 characters", 400, 21243, { Type: "apn", FriendlyName: "f".repeat(65) }],
    ["a Sandbox that is no boolean", 400, 21243, { Type: "apn", Sandbox: "sometimes" }],
  ])("refuses %s with %i / %i and creates nothing", async (_case, status, code, form) => {
    const answer = await raw(emulator, "POST", CREDENTIALS, { ...form, Secret: SECRETS.secret });
    expectTwilioError(answer, status, code);
    expect(leaks(JSON.stringify(answer.body))).toEqual([]);
    expect((emulator.state().account as any).credentials).toEqual([]);
  });

  it("takes a 64-character name; validates updates the same way and leaves the credential as it was", async () => {
    const made = (await raw(emulator, "POST", CREDENTIALS, { Type: "apn", FriendlyName: "f".repeat(64) })).body;
    expect(made.friendly_name).toHaveLength(64);
    expectTwilioError(await raw(emulator, "POST", `${CREDENTIALS}/${made.sid}`, { Type: "voip" }), 400, 70105);
    expectTwilioError(await raw(emulator, "POST", `${CREDENTIALS}/${made.sid}`, { FriendlyName: "g".repeat(65) }), 400, 21243);
    expect((await raw(emulator, "GET", `${CREDENTIALS}/${made.sid}`)).body).toEqual(made);
    const changed = await raw(emulator, "POST", `${CREDENTIALS}/${made.sid}`, { Type: "FCM", FriendlyName: "" });
    expect(changed.body).toMatchObject({ type: "fcm", friendly_name: null });
  });

  it("answers 404 / 20404 for an unknown or malformed SID and 405 for other methods", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      expectTwilioError(await raw(emulator, method, `${CREDENTIALS}/CR${"0".repeat(32)}`, method === "POST" ? {} : undefined), 404, 20404);
      expectTwilioError(await raw(emulator, method, `${CREDENTIALS}/nope`, method === "POST" ? {} : undefined), 404, 20404);
    }
    expectTwilioError(await raw(emulator, "PUT", CREDENTIALS), 405, 20004);
  });
});

describe("credentials in the state dump and the state file, and no secret anywhere", () => {
  it("never shows a secret: not in any answer, the request log, the admin views, the state file or its journal", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-credentials-");
    let running = await withEmulator({ stateFile });
    try {
      const { v1, exchanges } = twilioClient(running);
      const apn = await v1.credentials.create({ type: "apn", certificate: SECRETS.certificate, privateKey: SECRETS.privateKey, sandbox: true });
      const gcm = await v1.credentials.create({ type: "gcm", apiKey: SECRETS.apiKey });
      const fcm = await v1.credentials.create({ type: "fcm", secret: SECRETS.secret });
      await v1.credentials(apn.sid).update({ certificate: ROTATED.certificate, privateKey: ROTATED.privateKey });
      await v1.credentials(fcm.sid).update({ secret: ROTATED.secret });
      // Secrets sent where no handler reads them (a query string, a refused request, another path) stay out of the log too.
      await raw(running, "POST", `${CREDENTIALS}?Secret=${encodeURIComponent(SECRETS.secret)}`, { Type: "nope", Certificate: SECRETS.certificate });
      await raw(running, "POST", "/v1/Conversations", { ApiKey: SECRETS.apiKey, PrivateKey: SECRETS.privateKey });
      await v1.credentials.list();
      await v1.credentials(gcm.sid).fetch();

      const logged = running.requests();
      const credentialWrites = logged.filter((entry) => entry.method === "POST" && entry.path.startsWith(CREDENTIALS));
      expect(credentialWrites.length).toBe(6);
      expect(credentialWrites.filter((entry) => entry.form.Certificate !== undefined).every((entry) => entry.form.Certificate === "[redacted]")).toBe(true);
      expect(credentialWrites.at(-1)!.query).toEqual({ Secret: "[redacted]" });

      const admin = await Promise.all(["requests", "state"].map(async (view) => (await fetch(`${running.url}/__emulator/${view}`)).text()));
      const dump = running.state() as { account: { credentials: Array<{ sid: string; secret_fingerprints: Record<string, string | null> }> } };
      // The state dump tells which secrets were set (and when they changed), by fingerprint only.
      const byType = Object.fromEntries(dump.account.credentials.map((c) => [c.sid, c.secret_fingerprints]));
      expect(byType[apn.sid]).toMatchObject({ api_key: null, secret: null });
      expect(byType[apn.sid].certificate).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(byType[gcm.sid]).toMatchObject({ certificate: null, private_key: null, secret: null });
      expect(byType[fcm.sid].secret).toMatch(/^sha256:[0-9a-f]{64}$/);

      const journal = readFileSync(journalPath(stateFile), "utf8");
      expect(journal).toContain(apn.sid);
      const texts = [JSON.stringify(exchanges), JSON.stringify(logged), ...admin, JSON.stringify(dump), journal, readFileSync(stateFile, "utf8")];
      await running.close();
      texts.push(readFileSync(stateFile, "utf8"));
      if (existsSync(journalPath(stateFile))) texts.push(readFileSync(journalPath(stateFile), "utf8"));
      for (const text of texts) expect(leaks(text)).toEqual([]);
      expect(readFileSync(stateFile, "utf8")).toContain(byType[fcm.sid].secret);

      // After a restart: the credentials answer as before, fingerprints and all.
      running = await withEmulator({ stateFile });
      const restored = await raw(running, "GET", `${CREDENTIALS}/${apn.sid}`);
      expect(restored.body).toMatchObject({ sid: apn.sid, type: "apn", sandbox: "True" });
      expect((running.state() as typeof dump).account.credentials.map((c) => c.secret_fingerprints)).toEqual(dump.account.credentials.map((c) => c.secret_fingerprints));
    } finally {
      await running.close();
      remove();
    }
  });

  it("keeps credentials, their updates and deletes across a restart", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-credentials-");
    let running = await withEmulator({ stateFile });
    try {
      const kept = (await raw(running, "POST", CREDENTIALS, { Type: "apn", FriendlyName: "kept", Sandbox: "true" })).body;
      const gone = (await raw(running, "POST", CREDENTIALS, { Type: "fcm" })).body;
      await raw(running, "POST", `${CREDENTIALS}/${kept.sid}`, { FriendlyName: "kept, renamed" });
      await raw(running, "DELETE", `${CREDENTIALS}/${gone.sid}`);
      expect([...loadStateFile(stateFile)!.credentials.keys()]).toEqual([kept.sid]);
      const before = (await raw(running, "GET", `${CREDENTIALS}/${kept.sid}`)).body;
      await running.close();
      running = await withEmulator({ stateFile });
      const after = (await raw(running, "GET", `${CREDENTIALS}/${kept.sid}`)).body;
      expect({ ...after, url: new URL(after.url).pathname }).toEqual({ ...before, url: new URL(before.url).pathname });
      expectTwilioError(await raw(running, "GET", `${CREDENTIALS}/${gone.sid}`), 404, 20404);
    } finally {
      await running.close();
      remove();
    }
  });
});

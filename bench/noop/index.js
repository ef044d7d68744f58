// The seeding benchmark's graph (SEED_CONVERSATIONS conversations, each with SEED_MESSAGES
// messages created one after the other) on a dynamic provider that does nothing: the engine's own
// cost, which a no-op preview of the real stack is compared with.
"use strict";
const pulumi = require("@pulumi/pulumi");

const provider = {
  async create(inputs) {
    return { id: inputs.key, outs: inputs };
  },
  async diff() {
    return { changes: false };
  },
};

const conversations = Number(process.env.SEED_CONVERSATIONS);
const messages = Number(process.env.SEED_MESSAGES);
for (let c = 0; c < conversations; c++) {
  const key = `seed-${String(c + 1).padStart(4, "0")}`;
  const conversation = new pulumi.dynamic.Resource(provider, key, { key, friendlyName: `Seed ${c + 1}` }, {}, "noop", "Conversation");
  let previous = conversation;
  for (let m = 0; m < messages; m++) {
    previous = new pulumi.dynamic.Resource(
      provider,
      `${key}-m${m + 1}`,
      { key: `${key}-m${m + 1}`, conversation: conversation.id, body: `Seed message ${m + 1} of conversation ${c + 1}.` },
      { dependsOn: [previous] },
      "noop",
      "Message",
    );
  }
}

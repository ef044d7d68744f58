// The seeding benchmark's graph (SEED_CONVERSATIONS conversations, each holding its SEED_MESSAGES
// messages as one input, as the stack program declares them) on a dynamic provider that does
// nothing: the engine's own cost, which a no-op preview of the real stack is compared with.
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
  const thread = {};
  for (let m = 0; m < messages; m++) {
    thread[`m${m + 1}`] = { ...(m > 0 ? { after: `m${m}` } : {}), author: `agent-${c % 7}`, body: `Seed message ${m + 1} of conversation ${c + 1}.` };
  }
  new pulumi.dynamic.Resource(provider, key, { key, friendlyName: `Seed ${c + 1}`, messages: thread }, {}, "noop", "Conversation");
}

// The twilio-node script a user would write instead of a stack: each conversation's messages in
// order, conversations in parallel, 429s left to the client's autoRetry. With `children`, each
// conversation also gets its participants, one after the other, then its webhook, before its
// messages, which its participants author. Run as its own process so its memory is measured like
// the engine's:
//   node dist/bench/seed-script.js <baseUrl> <accountSid> <authToken> <conversations> <messages> [children]
import twilio from "twilio";

export function seedMessageBody(conversation: number, message: number): string {
  return `Seed message ${message + 1} of conversation ${conversation + 1}.`;
}

export function seedUniqueName(conversation: number): string {
  return `seed-${String(conversation + 1).padStart(4, "0")}`;
}

export type SeedParticipant = { key: string } & ({ identity: string } | { messagingBinding: { address: string; proxyAddress: string } });

/**
 * Three participants per conversation: a chat agent shared by every seventh conversation, a chat
 * customer of its own and an SMS customer with a number of its own (Twilio lets one binding into
 * one open conversation only).
 */
export function seedParticipants(conversation: number): SeedParticipant[] {
  return [
    { key: "agent", identity: `agent-${conversation % 7}` },
    { key: "customer", identity: `customer-${conversation + 1}` },
    { key: "sms", messagingBinding: { address: `+1555${String(conversation + 1).padStart(7, "0")}`, proxyAddress: "+15005550001" } },
  ];
}

export const SEED_WEBHOOK_KEY = "crm";
export const SEED_WEBHOOK_FILTERS = ["onMessageAdded", "onParticipantAdded"];

export function seedWebhookUrl(conversation: number): string {
  return `https://crm.example.com/hooks/${seedUniqueName(conversation)}`;
}

const AUTHORS = ["sms", "agent", "customer", "agent"];

/** The key of the participant who writes a message: the SMS customer opens, the agent answers. */
export function seedMessageAuthor(message: number): string {
  return AUTHORS[message % AUTHORS.length];
}

/** What Twilio takes as the author of a participant's message: its identity, or its address. */
export function seedAuthorName(participant: SeedParticipant): string {
  return "identity" in participant ? participant.identity : participant.messagingBinding.address;
}

async function main(): Promise<void> {
  const [baseUrl, accountSid, authToken, conversations, messages, children] = process.argv.slice(2);
  const withChildren = children === "children";
  const client = twilio(accountSid, authToken, { autoRetry: true, maxRetries: 1000 });
  client.conversations.baseUrl = baseUrl;
  const v1 = client.conversations.v1;
  await Promise.all(
    Array.from({ length: Number(conversations) }, async (_, c) => {
      const conversation = await v1.conversations.create({ uniqueName: seedUniqueName(c), friendlyName: `Seed ${c + 1}` });
      const participants = seedParticipants(c);
      if (withChildren) {
        for (const participant of participants) {
          await v1.conversations(conversation.sid).participants.create(
            "identity" in participant
              ? { identity: participant.identity }
              : {
                  "messagingBinding.address": participant.messagingBinding.address,
                  "messagingBinding.proxyAddress": participant.messagingBinding.proxyAddress,
                },
          );
        }
        await v1.conversations(conversation.sid).webhooks.create({
          target: "webhook",
          "configuration.url": seedWebhookUrl(c),
          "configuration.method": "post",
          "configuration.filters": SEED_WEBHOOK_FILTERS,
        });
      }
      for (let m = 0; m < Number(messages); m++) {
        const author = withChildren ? seedAuthorName(participants.find((p) => p.key === seedMessageAuthor(m))!) : `agent-${c % 7}`;
        await v1.conversations(conversation.sid).messages.create({ author, body: seedMessageBody(c, m) });
      }
    }),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

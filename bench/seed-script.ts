// The twilio-node script a user would write instead of a stack: each conversation's messages in
// order, conversations in parallel, 429s left to the client's autoRetry. Run as its own process so
// its memory is measured like the engine's:
//   node dist/bench/seed-script.js <baseUrl> <accountSid> <authToken> <conversations> <messages>
import twilio from "twilio";

export function seedMessageBody(conversation: number, message: number): string {
  return `Seed message ${message + 1} of conversation ${conversation + 1}.`;
}

export function seedUniqueName(conversation: number): string {
  return `seed-${String(conversation + 1).padStart(4, "0")}`;
}

async function main(): Promise<void> {
  const [baseUrl, accountSid, authToken, conversations, messages] = process.argv.slice(2);
  const client = twilio(accountSid, authToken, { autoRetry: true, maxRetries: 20 });
  client.conversations.baseUrl = baseUrl;
  const v1 = client.conversations.v1;
  await Promise.all(
    Array.from({ length: Number(conversations) }, async (_, c) => {
      const conversation = await v1.conversations.create({ uniqueName: seedUniqueName(c), friendlyName: `Seed ${c + 1}` });
      for (let m = 0; m < Number(messages); m++) {
        await v1.conversations(conversation.sid).messages.create({ author: `agent-${c % 7}`, body: seedMessageBody(c, m) });
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

// The exported stack file as text: a header that says what it is, then the document in its keys'
// order (js-yaml keeps insertion order). Pure, so the same account gives the same bytes.
import { dump } from "js-yaml";
import type { Entry, SecretReference } from "./document";

export function renderStackFile(document: Entry, source: { accountSid: string | null; serviceSid: string }): string {
  const header = [
    `# Exported by twilio-conversations-pulumi export from account ${source.accountSid ?? "(unknown)"}, service ${source.serviceSid}.`,
    "# Every object is adopted as Twilio holds it: the first `pulumi up` writes nothing, and `destroy`",
    "# puts back what the stack changed (conversations are kept: retainOnDelete). Values equal to",
    "# Twilio's defaults are left out: they are not managed.",
  ];
  return `${header.join("\n")}\n${dump(document, { noRefs: true, lineWidth: 120 })}`;
}

/** The commands that set the secrets the file names (Twilio never answers them back). */
export function secretCommands(secrets: readonly SecretReference[]): string[] {
  return secrets.map((secret) => `pulumi config set --secret ${secret.configKey} < FILE   # ${secret.path}: ${secret.owner}`);
}

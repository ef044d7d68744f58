// The few calls of GitHub's REST API the pull-request workflow makes: an issue's comments, listed,
// posted and edited. GITHUB_API_URL names the server (GitHub Enterprise, or a test's fake).

export interface IssueComment {
  id: number;
  body: string;
}

export interface CommentsApi {
  list(): Promise<IssueComment[]>;
  create(body: string): Promise<IssueComment>;
  update(id: number, body: string): Promise<IssueComment>;
}

const PAGE = 100;

/** The comments of pull request `number` of `repository` ("owner/name"), with `token`. */
export function pullRequestComments(apiUrl: string, repository: string, number: number, token: string): CommentsApi {
  const base = `${apiUrl.replace(/\/+$/, "")}/repos/${repository}`;
  async function call(method: string, url: string, body?: unknown): Promise<unknown> {
    const response = await fetch(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "twilio-conversations-pulumi",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      const message = (() => {
        try {
          return String((JSON.parse(text) as { message?: unknown }).message ?? text);
        } catch {
          return text;
        }
      })();
      throw new Error(`GitHub answered ${response.status} to ${method} ${new URL(url).pathname}: ${message.slice(0, 300)}`);
    }
    return text ? JSON.parse(text) : null;
  }
  return {
    async list() {
      const comments: IssueComment[] = [];
      for (let page = 1; ; page++) {
        const batch = (await call("GET", `${base}/issues/${number}/comments?per_page=${PAGE}&page=${page}`)) as IssueComment[];
        comments.push(...batch);
        if (batch.length < PAGE) return comments;
      }
    },
    create: (body) => call("POST", `${base}/issues/${number}/comments`, { body }) as Promise<IssueComment>,
    update: (id, body) => call("PATCH", `${base}/issues/comments/${id}`, { body }) as Promise<IssueComment>,
  };
}

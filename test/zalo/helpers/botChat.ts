import type { FakeZaloBot } from './fakeZaloBot.js';
import { botText, postBotUpdate } from './botUpdates.js';
import { waitFor } from './app.js';

/**
 * One person typing to the Zalo bot through the webhook and reading the answers, as a tester would:
 * `say` sends a text and waits for the batch of replies; `choose` finds an option by its label in the
 * numbered list just received and types its number.
 */
export class BotChat {
  private seen = 0;
  last: string[] = [];

  constructor(
    private readonly platform: FakeZaloBot,
    private readonly base: string,
    private readonly secret: string,
    readonly chatId: string,
  ) {}

  private all(): string[] {
    return this.platform.sent.filter((s) => s.chatId === this.chatId).map((s) => s.text);
  }

  /** Sends a text and returns the replies it brought (all of them: waits until they stop coming). */
  async say(text: string): Promise<string[]> {
    this.seen = this.all().length;
    const res = await postBotUpdate(this.base, botText(this.chatId, text), this.secret);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await waitFor(() => this.all().length > this.seen);
    let count = -1;
    while (count !== this.all().length) {
      count = this.all().length;
      await new Promise((r) => setTimeout(r, 80));
    }
    this.last = this.all().slice(this.seen);
    return this.last;
  }

  get text(): string {
    return this.last.join('\n');
  }

  /** The number of the option whose label contains `label` in the last replies. */
  numberOf(label: string): string {
    for (const line of this.text.split('\n')) {
      const m = /^(\d+)\. (.*)$/.exec(line);
      if (m && m[2]!.includes(label)) return m[1]!;
    }
    throw new Error(`no option "${label}" in:\n${this.text}`);
  }

  choose(label: string): Promise<string[]> {
    return this.say(this.numberOf(label));
  }
}

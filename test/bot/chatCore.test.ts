import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createLogger } from '../../app/logger.js';
import { ChatCore } from '../../bot/core/chatCore.js';
import { Notifier } from '../../bot/core/notifier.js';
import { matchTypedChoice, renderChoicesAsText, renderRepliesAsText } from '../../bot/core/choices.js';
import type { ChannelSender, ChatEvent, Reply, SendResult } from '../../bot/core/types.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { Settings } from '../../models/settings.js';
import { ChatSession } from '../../models/chatSession.js';
import { dropAllCaches } from '../../crm/shared/versionedCache.js';
import { jest } from '@jest/globals';

useTestDatabase();

/** A channel with no buttons at all (like Zalo's bot platform): everything is typed. */
class TextOnlySender implements ChannelSender {
  readonly channel = 'zalo_bot' as const;
  readonly sent: { chatId: string; text: string }[] = [];
  private next = 1;
  async send(chatId: string, replies: Reply[]): Promise<SendResult> {
    const texts = renderRepliesAsText(replies, 'vi');
    for (const text of texts) this.sent.push({ chatId, text });
    return { ok: true, messageIds: texts.map(() => String(this.next++)) };
  }
  last(chatId: string): string {
    return this.sent.filter((s) => s.chatId === chatId).at(-1)?.text ?? '';
  }
}

let updates = 0;
function event(userId: string, text: string, extra: Partial<ChatEvent> = {}): ChatEvent {
  updates += 1;
  return { channel: 'zalo_bot', userId, chatId: userId, updateId: `u${updates}`, text, ...extra };
}

function setup() {
  const logger = createLogger('silent');
  const notifier = new Notifier(logger);
  const sender = new TextOnlySender();
  notifier.register(sender);
  const core = new ChatCore({ notifier, logger });
  /** What an adapter does: hand the event to the core, send the replies back as text. */
  const say = async (e: ChatEvent) => {
    const replies = await core.handle(e);
    if (replies.length) await sender.send(e.chatId, replies);
    return replies;
  };
  return { core, sender, say };
}

describe('choices on channels without buttons', () => {
  const reply: Reply = {
    text: 'Chọn:',
    choices: [
      { label: '📞 Gọi', data: 'a' },
      { label: 'Không nghe máy', data: 'b' },
      { label: 'Bỏ qua', data: 'skip' },
    ],
  };

  it('numbers the choices, continuing across the replies of one batch', () => {
    expect(renderChoicesAsText(reply, 'vi')).toBe('Chọn:\n\n1. 📞 Gọi\n2. Không nghe máy\n3. Bỏ qua\n(Trả lời bằng số hoặc chữ của lựa chọn.)');
    expect(renderChoicesAsText({ text: 'plain' }, 'en')).toBe('plain');
    const [first, second] = renderRepliesAsText([reply, { text: 'Next', choices: [{ label: 'Huỷ', data: 'cancel' }] }], 'en');
    expect(first).toContain('3. Bỏ qua');
    expect(second).toBe('Next\n\n4. Huỷ\n(Reply with the number or the words of an option.)');
  });

  it('matches a typed number or the label without case, diacritics or emoji, and nothing else', () => {
    const choices = reply.choices!;
    expect(matchTypedChoice('2', choices)?.data).toBe('b');
    expect(matchTypedChoice(' 3 ', choices)?.data).toBe('skip');
    expect(matchTypedChoice('goi', choices)?.data).toBe('a');
    expect(matchTypedChoice('KHÔNG NGHE MÁY', choices)?.data).toBe('b');
    expect(matchTypedChoice('khong nghe may!', choices)?.data).toBe('b');
    expect(matchTypedChoice('4', choices)).toBeUndefined();
    expect(matchTypedChoice('0', choices)).toBeUndefined();
    expect(matchTypedChoice('gọi lại sau', choices)).toBeUndefined();
    expect(matchTypedChoice('😀', choices)).toBeUndefined();
    expect(matchTypedChoice('', choices)).toBeUndefined();
  });
});

describe('ChatCore on a text-only channel', () => {
  it('runs the whole intake by typing, and the owner works the new lead by typing numbers from the alert', async () => {
    const { user: sales } = await makeStaff('sales', { chatIds: { zalo_bot: 'staff-1' } });
    const { sender, say } = setup();

    await say(event('visitor-9', 'Chào shop'));
    expect(sender.last('visitor-9')).toContain('Bạn tên là gì?\n\n1. Bỏ qua');
    await say(event('visitor-9', 'Mai Anh'));
    // No share-contact button here: the phone is typed.
    await say(event('visitor-9', '0912 345 678'));
    await say(event('visitor-9', 'Cần báo giá'));
    expect(sender.last('visitor-9')).toContain('Cảm ơn Mai Anh');

    const customer = await Customer.findOne().lean();
    expect(customer?.chatIds?.zalo_bot).toBe('visitor-9');
    expect(String(customer?.owner)).toBe(String(sales._id));
    const alert = sender.last('staff-1');
    expect(alert).toContain('🆕 Khách mới từ Zalo Bot');
    expect(alert).toContain('1. 📞 Gọi');

    // "1" in the staff chat means the alert's first action: log a call with that lead.
    await say(event('staff-1', '1'));
    expect(sender.last('staff-1')).toContain('Kết quả cuộc gọi với Mai Anh?');
    await say(event('staff-1', 'quan tâm'));
    await say(event('staff-1', 'bo qua'));
    expect(await Interaction.findOne({ type: 'call' }).lean()).toMatchObject({ outcome: 'interested' });

    // The lead writes again: forwarded; the owner answers with the forward's "reply" option.
    await say(event('visitor-9', 'Khi nào có báo giá ạ?'));
    expect(sender.last('staff-1')).toContain('Khi nào có báo giá ạ?');
    await say(event('staff-1', '1'));
    await say(event('staff-1', 'Chiều nay em gửi ạ'));
    expect(sender.last('visitor-9')).toBe('Chiều nay em gửi ạ');
    expect(await Interaction.countDocuments({ type: 'message_out', channel: 'zalo_bot' })).toBe(1);
  });

  it('an update whose settings cannot be read is not remembered: its redelivery is handled, at once', async () => {
    const { core } = setup();
    const e = event('visitor-2', 'Xin chào');
    // The session is claimed while the settings are read; the settings fail.
    dropAllCaches();
    const failing = jest.spyOn(Settings, 'findOne').mockImplementationOnce(() => {
      throw new Error('database lost');
    });
    await expect(core.handle(e)).rejects.toThrow('database lost');
    failing.mockRestore();
    const session = await ChatSession.findOne({ chatId: 'visitor-2' }).lean();
    expect(session?.seenUpdates ?? []).not.toContain(e.updateId);
    expect(session?.leaseHolder ?? null).toBeNull();
    // The platform's redelivery of the same update is answered, not ignored as a duplicate.
    expect((await core.handle({ ...e })).length).toBeGreaterThan(0);
  });

  it('returns nothing for a duplicate update, even when both copies arrive at the same moment', async () => {
    await makeStaff('sales');
    const { core } = setup();
    const e = event('visitor-1', 'Xin chào');
    const results = await Promise.all([core.handle(e), core.handle({ ...e }), core.handle({ ...e })]);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    // The same update id on another channel is another update.
    expect((await core.handle({ ...e, channel: 'web' })).length).toBeGreaterThan(0);
  });
});

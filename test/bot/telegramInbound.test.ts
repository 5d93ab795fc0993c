import type { Update } from 'grammy/types';
import { updateToEvent } from '../../bot/telegram/inbound.js';
import { markupFor } from '../../bot/telegram/sender.js';

const from = { id: 7, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn', language_code: 'vi' };
const privateChat = { id: 7, type: 'private', first_name: 'Lan' };

function message(fields: Record<string, unknown>, chat: Record<string, unknown> = privateChat): Update {
  return { update_id: 99, message: { message_id: 1, date: 0, chat, from, ...fields } } as unknown as Update;
}

describe('Telegram update → chat event', () => {
  it('reads text, the start parameter, a reply-to and the sender', () => {
    expect(updateToEvent(message({ text: 'Xin chào' }))).toEqual({
      channel: 'telegram', userId: '7', chatId: '7', updateId: '99', displayName: 'Lan Nguyễn', languageHint: 'vi', text: 'Xin chào',
    });
    expect(updateToEvent(message({ text: '/start src_facebook' }))).toMatchObject({ text: '/start', startParam: 'src_facebook' });
    expect(updateToEvent(message({ text: '/start@chot_bot link_ABCD2345' }))).toMatchObject({ text: '/start', startParam: 'link_ABCD2345' });
    expect(updateToEvent(message({ text: 'ok', reply_to_message: { message_id: 55 } }))).toMatchObject({ text: 'ok', replyToMessageId: '55' });
    expect(updateToEvent(message({ caption: 'ảnh nhà', photo: [] }))).toMatchObject({ text: 'ảnh nhà' });
  });

  it('vouches only for the sender\'s own shared contact', () => {
    expect(updateToEvent(message({ contact: { phone_number: '84912345678', first_name: 'Lan', user_id: 7 } }))).toMatchObject({ contactPhone: '84912345678' });
    const forwarded = updateToEvent(message({ contact: { phone_number: '84987654321', first_name: 'Khác', user_id: 8 } }));
    expect(forwarded?.contactPhone).toBeUndefined();
    expect(forwarded?.text).toBe('84987654321');
  });

  it('ignores groups, bots and updates chot has no use for', () => {
    expect(updateToEvent(message({ text: '/find' }, { id: -100, type: 'group', title: 'Team' }))).toBeUndefined();
    expect(updateToEvent({ update_id: 1, message: { message_id: 1, date: 0, chat: privateChat, from: { ...from, is_bot: true }, text: 'x' } } as unknown as Update)).toBeUndefined();
    expect(updateToEvent({ update_id: 1, edited_message: { message_id: 1, date: 0, chat: privateChat, from, text: 'x' } } as unknown as Update)).toBeUndefined();
  });

  it('reads a button press with its data', () => {
    const update = { update_id: 5, callback_query: { id: 'q', from, chat_instance: 'c', data: 'c:abc', message: { message_id: 3, date: 0, chat: privateChat } } } as unknown as Update;
    expect(updateToEvent(update)).toMatchObject({ choice: 'c:abc', chatId: '7', userId: '7', updateId: '5' });
  });
});

describe('replies → Telegram markup', () => {
  it('lays short buttons two to a row and long ones alone, removes a reply keyboard when there are no choices', () => {
    const markup = markupFor({ text: 'x', choices: [{ label: '📞 Gọi', data: 'a' }, { label: '🤝 Gặp', data: 'b' }, { label: 'KH000001 · Nguyễn Văn Đức', data: 'c' }] });
    expect(markup).toEqual({ inline_keyboard: [[{ text: '📞 Gọi', callback_data: 'a' }, { text: '🤝 Gặp', callback_data: 'b' }], [{ text: 'KH000001 · Nguyễn Văn Đức', callback_data: 'c' }]] });
    expect(markupFor({ text: 'x' })).toEqual({ remove_keyboard: true });
    expect(markupFor({ text: 'x', requestPhone: true, requestPhoneLabel: 'Share', choices: [{ label: 'Skip', data: 'skip' }] })).toEqual({
      keyboard: [[{ text: 'Share', request_contact: true }], [{ text: 'Skip' }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });
});

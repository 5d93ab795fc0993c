import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { createOpportunity } from '../../crm/opportunities/index.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Comment } from '../../models/comment.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { StageChange } from '../../models/stageChange.js';
import { Stage } from '../../models/stage.js';
import { Settings } from '../../models/settings.js';
import { ManualClock } from '../../jobs/clock.js';
import { sendMorningDigests } from '../../jobs/digest.js';
import { fakeWorker } from '../jobs/harness.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

/**
 * The team talking about a customer in Telegram: comments from the card, @mentions that notify and
 * let a colleague follow (read and comment, never change), the 2-hour edit rule, the filtered
 * history and "Mới cập nhật" in /today and the digest. Updates in, Bot API calls out, and what is stored.
 */
const haTg: TgUser = { id: 6001, first_name: 'Hà' };
const minhTg: TgUser = { id: 6002, first_name: 'Minh' };
const lanNguyenTg: TgUser = { id: 6003, first_name: 'Lan' };
const lanTranTg: TgUser = { id: 6004, first_name: 'Lan' };
const managerTg: TgUser = { id: 6005, first_name: 'Quân' };

async function team() {
  const ha = await makeStaff('sales', { chatIds: { telegram: String(haTg.id) }, name: 'Hà Thu' });
  const minh = await makeStaff('sales', { chatIds: { telegram: String(minhTg.id) }, name: 'Phạm Minh' });
  const lanNguyen = await makeStaff('sales', { chatIds: { telegram: String(lanNguyenTg.id) }, name: 'Nguyễn Thị Lan' });
  const lanTran = await makeStaff('sales', { chatIds: { telegram: String(lanTranTg.id) }, name: 'Trần Thị Lan' });
  const manager = await makeStaff('manager', { chatIds: { telegram: String(managerTg.id) }, name: 'Quân Lý', takesNewLeads: false });
  const customer = await createCustomer(ha.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
  return { ha, minh, lanNguyen, lanTran, manager, customer };
}

/** Opens the card from a search and starts a comment with its 💬 button. */
async function comment(bot: ReturnType<typeof createTelegramTestBot>, who: TgUser, customerId: unknown, text: string) {
  await bot.bot.handleUpdate(buttonUpdate(who, `kc:${customerId}`));
  await bot.bot.handleUpdate(textUpdate(who, text));
}

describe('comments with @mention in the chat', () => {
  it('notifies the named colleague with an open-card button; as a follower they read and comment, and every change is refused with nothing stored', async () => {
    const { minh, lanTran, customer } = await team();
    const chat = createTelegramTestBot();
    const { bot, tg } = chat;

    await bot.handleUpdate(textUpdate(haTg, '/find duc'));
    const cardButtons = tg.lastButtons(haTg.id).map((b) => b.text);
    expect(cardButtons).toEqual(expect.arrayContaining(['💬 Trao đổi', '📜 Lịch sử', '👥 Người theo dõi']));
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, 'Trao đổi')));
    expect(tg.lastText(haTg.id)).toContain('Chưa có trao đổi nào');
    await bot.handleUpdate(textUpdate(haTg, 'Anh Đức cần báo giá gấp, @minh gọi giúp chị nhé'));
    expect(tg.lastText(haTg.id)).toContain('Đã lưu bình luận về Nguyễn Văn Đức');
    expect(tg.lastText(haTg.id)).toContain('Đã báo cho: Phạm Minh');

    const note = tg.lastMessage(minhTg.id);
    expect(note.text).toContain('Hà Thu nhắc bạn về khách KH000001 · Nguyễn Văn Đức');
    expect(note.text).toContain('Anh Đức cần báo giá gấp');
    expect(tg.buttons(note)).toEqual([{ text: '👤 Mở thẻ khách', callback_data: `c:${customer._id}` }]);
    const stored = await Comment.findOne().lean();
    expect(stored!.mentions.map(String)).toEqual([String(minh.user._id)]);
    const followers = (await Customer.findById(customer._id).lean())!.followers!;
    expect(followers.map((f) => String(f.user))).toEqual([String(minh.user._id)]);

    // The follower opens the card from the notification: read only, comments allowed.
    await bot.handleUpdate(buttonUpdate(minhTg, `c:${customer._id}`));
    const card = tg.lastMessage(minhTg.id);
    expect(card.text).toContain('👤 KH000001 · Nguyễn Văn Đức');
    expect(card.text).toContain('Bạn đang theo dõi khách này');
    expect(tg.buttons(card).map((b) => b.text)).toEqual(['💬 Trao đổi', '📜 Lịch sử']);
    await comment(chat, minhTg, customer._id, 'Em gọi rồi, chiều nay gửi báo giá');
    expect(tg.lastText(minhTg.id)).toContain('Đã lưu bình luận');
    expect(await Comment.countDocuments({ author: minh.user._id })).toBe(1);

    // Every change, even from a forged or stale button, is refused with the reason.
    const stage = await Stage.findOne({ code: 'nong' }).lean();
    const stagesBefore = await StageChange.countDocuments({ customer: customer._id });
    for (const data of [`l:call:${customer._id}`, `ss:${customer._id}:${stage!._id}`, `f:${customer._id}`, `m:${customer._id}`, `kx:${customer._id}:${minh.user._id}`]) {
      await bot.handleUpdate(buttonUpdate(minhTg, data));
      expect(tg.lastText(minhTg.id)).toContain('chỉ xem và trao đổi được, không thay đổi được');
    }
    await bot.handleUpdate(buttonUpdate(minhTg, `r:${customer._id}`));
    expect(tg.lastText(minhTg.id)).toContain('không có quyền');
    expect(await Interaction.countDocuments({ customer: customer._id })).toBe(0);
    expect(await FollowUp.countDocuments({ customer: customer._id })).toBe(0);
    expect(await StageChange.countDocuments({ customer: customer._id })).toBe(stagesBefore);
    const after = (await Customer.findById(customer._id).lean())!;
    expect(String(after.stage)).toBe(String(customer.stage));
    expect(String(after.owner)).toBe(String(customer.owner));
    expect(after.followers).toHaveLength(1);

    // A colleague nobody named may neither read nor comment.
    await bot.handleUpdate(buttonUpdate(lanTranTg, `c:${customer._id}`));
    expect(tg.lastText(lanTranTg.id)).toContain('không có quyền');
    await bot.handleUpdate(buttonUpdate(lanTranTg, `kc:${customer._id}`));
    expect(tg.lastText(lanTranTg.id)).toContain('không có quyền');
    expect(await Comment.countDocuments({ author: lanTran.user._id })).toBe(0);
  });

  it('asks which colleague an ambiguous @name means, and saves a comment naming nobody known', async () => {
    const { lanTran, customer } = await team();
    const { bot, tg } = createTelegramTestBot();
    await comment({ bot, tg } as ReturnType<typeof createTelegramTestBot>, haTg, customer._id, '@lan xem giúp hồ sơ này, cả @khongco nữa');
    expect(tg.lastText(haTg.id)).toContain('@lan trùng với nhiều đồng nghiệp');
    expect(tg.lastButtons(haTg.id).map((b) => b.text)).toEqual(['Nguyễn Thị Lan', 'Trần Thị Lan', 'Không nhắc ai', 'Huỷ']);
    expect(await Comment.countDocuments()).toBe(0);
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, 'Trần Thị Lan')));
    const saved = tg.lastText(haTg.id);
    expect(saved).toContain('Đã báo cho: Trần Thị Lan');
    expect(saved).toContain('Không tìm thấy đồng nghiệp nào tên @khongco');
    expect(tg.lastText(lanTranTg.id)).toContain('nhắc bạn về khách');
    expect(tg.messages(lanNguyenTg.id)).toHaveLength(0);
    const stored = await Comment.findOne().lean();
    expect(stored!.text).toBe('@lan xem giúp hồ sơ này, cả @khongco nữa');
    expect(stored!.mentions.map(String)).toEqual([String(lanTran.user._id)]);

    // Written longer, without diacritics, the name is found at once.
    await comment({ bot, tg } as ReturnType<typeof createTelegramTestBot>, haTg, customer._id, 'cảm ơn @nguyen.lan');
    expect(tg.lastText(haTg.id)).toContain('Đã báo cho: Nguyễn Thị Lan');
  });

  it('lets authors edit or delete their own comment for 2 hours, then refuses', async () => {
    const { customer } = await team();
    const clock = new ManualClock('2026-11-24T02:00:00Z');
    const { bot, tg } = createTelegramTestBot({ clock: () => clock.now() });
    await comment({ bot, tg } as ReturnType<typeof createTelegramTestBot>, haTg, customer._id, 'Khách hẹn thứ 6 @minh');
    const stored = (await Comment.findOne().lean())!;

    clock.advance(119 * 60_000);
    await bot.handleUpdate(buttonUpdate(haTg, `kc:${customer._id}`));
    expect(tg.lastButtons(haTg.id).map((b) => b.text)).toEqual(['✏️ Sửa #1', '🗑 Xoá #1', 'Huỷ']);
    // Someone else's comment is never theirs to change.
    await bot.handleUpdate(buttonUpdate(minhTg, `ke:${stored._id}`));
    expect(tg.lastText(minhTg.id)).toContain('Chỉ người viết mới sửa');
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, 'Sửa #1')));
    await bot.handleUpdate(textUpdate(haTg, 'Khách hẹn thứ 7 @minh'));
    expect(tg.texts(haTg.id).join('\n')).toContain('Đã sửa bình luận');
    expect((await Comment.findById(stored._id).lean())!.text).toBe('Khách hẹn thứ 7 @minh');

    clock.advance(2 * 60_000); // 2 h 01 min after writing
    await bot.handleUpdate(buttonUpdate(haTg, `kc:${customer._id}`));
    expect(tg.lastText(haTg.id)).toContain('(đã sửa)');
    expect(tg.lastButtons(haTg.id).map((b) => b.text)).toEqual(['Huỷ']);
    await bot.handleUpdate(buttonUpdate(haTg, `ke:${stored._id}`));
    expect(tg.lastText(haTg.id)).toContain('Đã quá 2 giờ');
    await bot.handleUpdate(buttonUpdate(haTg, `kd:${stored._id}`));
    expect(tg.lastText(haTg.id)).toContain('Đã quá 2 giờ');
    const kept = (await Comment.findById(stored._id).lean())!;
    expect(kept.text).toBe('Khách hẹn thứ 7 @minh');
    expect(kept.deletedAt).toBeFalsy();

    // Within the window a delete hides the comment and it stops counting as unread.
    await comment({ bot, tg } as ReturnType<typeof createTelegramTestBot>, haTg, customer._id, 'nhầm khách');
    const wrong = (await Comment.findOne({ text: 'nhầm khách' }).lean())!;
    await bot.handleUpdate(buttonUpdate(minhTg, `kh:${customer._id}:comments`));
    expect(tg.lastText(minhTg.id)).toContain('nhầm khách');
    await bot.handleUpdate(textUpdate(minhTg, '/today'));
    expect(tg.lastText(minhTg.id)).toContain('Mới cập nhật: 2 bình luận chưa đọc');
    await bot.handleUpdate(buttonUpdate(haTg, `kd:${wrong._id}`));
    expect(tg.texts(haTg.id).join('\n')).toContain('Đã xoá bình luận');
    expect((await Comment.findById(wrong._id).lean())!.deletedAt).toBeTruthy();
    await bot.handleUpdate(textUpdate(minhTg, '/today'));
    expect(tg.lastText(minhTg.id)).toContain('Mới cập nhật: 1 bình luận chưa đọc');
  });

  it('counts unread comments in /today and the morning digest, not one\'s own, and clears them when the card is opened', async () => {
    await Settings.updateOne({ key: 'global' }, { $set: { digestHour: 8, timezone: 'Asia/Ho_Chi_Minh' } });
    const { customer } = await team();
    const chat = createTelegramTestBot();
    const { bot, tg } = chat;
    await comment(chat, haTg, customer._id, '@minh khách này cần gọi lại');
    await comment(chat, haTg, customer._id, 'Thêm: khách thích gói 2');

    await bot.handleUpdate(textUpdate(minhTg, '/today'));
    const today = tg.lastMessage(minhTg.id);
    expect(today.text).toContain('Mới cập nhật: 2 bình luận chưa đọc');
    expect(today.text).toContain('KH000001 Nguyễn Văn Đức (2)');
    expect(tg.buttons(today).map((b) => b.text)).toContain('KH000001 · Nguyễn Văn Đức');
    // The author's own comments are not news to them.
    await bot.handleUpdate(textUpdate(haTg, '/today'));
    expect(tg.lastText(haTg.id)).not.toContain('Mới cập nhật');

    const clock = new ManualClock('2026-11-24T01:00:00Z'); // 08:00 local
    const worker = fakeWorker(clock);
    await sendMorningDigests(worker);
    const minhDigest = worker.sender.to(String(minhTg.id));
    expect(minhDigest).toHaveLength(1);
    expect(minhDigest[0].text).toContain('Mới cập nhật: 2 bình luận chưa đọc');

    // Nothing unread and nothing due: no digest for the owner, whose comments were all their own.
    expect(worker.sender.to(String(haTg.id))).toHaveLength(0);

    // Opening the card reads its comments.
    await bot.handleUpdate(buttonUpdate(minhTg, `c:${customer._id}`));
    await bot.handleUpdate(textUpdate(minhTg, '/today'));
    expect(tg.lastText(minhTg.id)).not.toContain('Mới cập nhật');

    // The follower answers: now the owner has one unread.
    await comment(chat, minhTg, customer._id, 'Đã gọi, khách hẹn tuần sau');
    await bot.handleUpdate(textUpdate(haTg, '/today'));
    expect(tg.lastText(haTg.id)).toContain('Mới cập nhật: 1 bình luận chưa đọc');
  });

  it('filters the history and lets the owner remove a follower, who then loses the card', async () => {
    const { customer } = await team();
    const chat = createTelegramTestBot();
    const { bot, tg } = chat;
    await bot.handleUpdate(buttonUpdate(haTg, `l:note:${customer._id}`));
    await bot.handleUpdate(textUpdate(haTg, 'Khách hỏi giá căn 2PN'));
    await comment(chat, haTg, customer._id, '@minh giá căn 2PN bao nhiêu em?');

    await bot.handleUpdate(buttonUpdate(haTg, `kh:${customer._id}:all`));
    const all = tg.lastText(haTg.id);
    expect(all).toContain('Lịch sử KH000001 · Nguyễn Văn Đức (Tất cả)');
    expect(all).toContain('💬 Hà Thu: @minh giá căn 2PN');
    expect(all).toContain('Khách hỏi giá căn 2PN');
    expect(tg.lastButtons(haTg.id).map((b) => b.text)).toEqual(['• Tất cả', 'Trao đổi', 'Tương tác', 'Giai đoạn', '👤 KH000001']);
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, 'Trao đổi')));
    const onlyComments = tg.lastText(haTg.id);
    expect(onlyComments).toContain('💬 Hà Thu');
    expect(onlyComments).not.toContain('Khách hỏi giá căn 2PN');
    await bot.handleUpdate(buttonUpdate(haTg, `kh:${customer._id}:interactions`));
    expect(tg.lastText(haTg.id)).toContain('Khách hỏi giá căn 2PN');
    expect(tg.lastText(haTg.id)).not.toContain('💬');

    await bot.handleUpdate(buttonUpdate(haTg, `kf:${customer._id}`));
    expect(tg.lastText(haTg.id)).toContain('• Phạm Minh');
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, '✖ Phạm Minh')));
    expect(tg.texts(haTg.id).join('\n')).toContain('Đã bỏ quyền theo dõi Nguyễn Văn Đức của Phạm Minh');
    expect((await Customer.findById(customer._id).lean())!.followers).toEqual([]);
    await bot.handleUpdate(buttonUpdate(minhTg, `c:${customer._id}`));
    expect(tg.lastText(minhTg.id)).toContain('không có quyền');
  });
});

describe('comments on an organization and an opportunity in the chat', () => {
  async function companyTeam() {
    const people = await team();
    const org = await createOrganization(SYSTEM, { name: 'Công ty TNHH Đại Phát', taxCode: '0301112223', owner: String(people.ha.user._id) });
    const opp = await createOpportunity(SYSTEM, { organization: org._id, name: 'Máy chủ', value: '500tr' });
    return { ...people, org, opp };
  }

  it('comments from the organization card: the manager named is told with an open-organization button, a salesperson who cannot see it is named and left out', async () => {
    const { manager, minh, org } = await companyTeam();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(buttonUpdate(haTg, `og:${org._id}`));
    expect(tg.lastButtons(haTg.id).map((b) => b.text)).toContain('💬 Trao đổi');
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, 'Trao đổi')));
    expect(tg.lastText(haTg.id)).toContain(`Trao đổi về ${org.code} · Công ty TNHH Đại Phát`);
    await bot.handleUpdate(textUpdate(haTg, 'Sắp chốt hợp đồng, @quan duyệt giá giúp em, cả @minh nữa'));
    const saved = tg.lastMessage(haTg.id);
    expect(saved.text).toContain('Đã lưu bình luận về Công ty TNHH Đại Phát');
    expect(saved.text).toContain('Đã báo cho: Quân Lý');
    expect(saved.text).toContain('Phạm Minh không xem được tổ chức này');
    // Back on the organization card, not a customer's.
    expect(saved.text).toContain('Công ty TNHH Đại Phát');
    expect(tg.buttons(saved).map((b) => b.text)).toContain('💬 Trao đổi');

    const stored = (await Comment.findOne().lean())!;
    expect(stored.target).toEqual({ kind: 'organization', id: org._id });
    expect(stored.mentions.map(String)).toEqual([String(manager.user._id)]);
    expect(tg.messages(minhTg.id)).toHaveLength(0);

    const note = tg.lastMessage(managerTg.id);
    expect(note.text).toContain(`Hà Thu nhắc bạn về tổ chức ${org.code} · Công ty TNHH Đại Phát`);
    expect(tg.buttons(note)).toEqual([{ text: '🏢 Mở thẻ tổ chức', callback_data: `og:${org._id}` }]);
    await bot.handleUpdate(buttonUpdate(managerTg, `og:${org._id}`));
    expect(tg.lastText(managerTg.id)).toContain('Công ty TNHH Đại Phát');
    await bot.handleUpdate(buttonUpdate(managerTg, `kt:o:${org._id}`));
    expect(tg.lastText(managerTg.id)).toContain('Hà Thu: Sắp chốt hợp đồng');

    // No mention opens it to the salesperson: a forged button is refused and nothing is stored.
    await bot.handleUpdate(buttonUpdate(minhTg, `kt:o:${org._id}`));
    expect(tg.lastText(minhTg.id)).toContain('không có quyền');
    expect(await Comment.countDocuments({ author: minh.user._id })).toBe(0);
    // Followers are a customer's: none were added anywhere.
    expect(await Customer.countDocuments({ 'followers.0': { $exists: true } })).toBe(0);
  });

  it('comments on an opportunity notify with an open-opportunity button; its author edits within 2 hours, then is refused', async () => {
    const { opp } = await companyTeam();
    const clock = new ManualClock('2026-11-24T02:00:00Z');
    const { bot, tg } = createTelegramTestBot({ clock: () => clock.now() });
    await bot.handleUpdate(buttonUpdate(haTg, `op:${opp._id}`));
    await bot.handleUpdate(buttonUpdate(haTg, tg.buttonData(haTg.id, 'Trao đổi')));
    await bot.handleUpdate(textUpdate(haTg, '@quan khách xin giảm 5%'));
    expect(tg.lastText(haTg.id)).toContain('Đã báo cho: Quân Lý');
    const note = tg.lastMessage(managerTg.id);
    expect(note.text).toContain(`nhắc bạn về cơ hội ${opp.code} · Máy chủ`);
    expect(tg.buttons(note)).toEqual([{ text: '💼 Mở cơ hội', callback_data: `op:${opp._id}` }]);
    const stored = (await Comment.findOne().lean())!;
    expect(stored.target.kind).toBe('opportunity');

    clock.advance(119 * 60_000);
    await bot.handleUpdate(buttonUpdate(haTg, `ke:${stored._id}`));
    await bot.handleUpdate(textUpdate(haTg, '@quan khách xin giảm 7%'));
    expect(tg.texts(haTg.id).join('\n')).toContain('Đã sửa bình luận');
    expect(tg.lastText(haTg.id)).toContain(`Trao đổi về ${opp.code} · Máy chủ`);

    clock.advance(2 * 60_000);
    await bot.handleUpdate(buttonUpdate(haTg, `ke:${stored._id}`));
    expect(tg.lastText(haTg.id)).toContain('Đã quá 2 giờ');
    await bot.handleUpdate(buttonUpdate(haTg, `kd:${stored._id}`));
    expect(tg.lastText(haTg.id)).toContain('Đã quá 2 giờ');
    const kept = (await Comment.findById(stored._id).lean())!;
    expect(kept.text).toBe('@quan khách xin giảm 7%');
    expect(kept.deletedAt).toBeFalsy();
  });
});

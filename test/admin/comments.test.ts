import type { Types } from 'mongoose';
import { startPanel, loggedIn, type Browser, ADMIN, makeUser } from './harness.js';
import { adminFeature } from '../../admin/feature.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import type { ChannelSender } from '../../bot/core/types.js';
import { Customer } from '../../models/customer.js';
import { Comment } from '../../models/comment.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Group } from '../../models/group.js';
import { Stage } from '../../models/stage.js';
import { User } from '../../models/user.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { createOpportunity } from '../../crm/opportunities/index.js';

/**
 * The customer page's comment section over HTTP, as each role: the owner comments and names a
 * colleague, who then opens the page as a follower and may comment but change nothing (page
 * actions and AdminJS's generic routes alike); a salesperson nobody named is refused everywhere.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let lanB: Browser;
let minhB: Browser;
let hoaB: Browser;
let lan: { _id: Types.ObjectId; name: string };
let minh: { _id: Types.ObjectId; name: string };
const sent: { chatId: string; text: string; data: string[] }[] = [];

const R = '/resources/Customer/records';

beforeAll(async () => {
  panel = await startPanel([adminFeature, chatCoreFeature]);
  lan = await makeUser('sales', 'lan@chot.test');
  minh = await makeUser('sales', 'minh@chot.test');
  await makeUser('sales', 'hoa@chot.test');
  await User.updateOne({ _id: minh._id }, { $set: { 'chatIds.telegram': '7002' } });
  const fake: ChannelSender = {
    channel: 'telegram',
    send: async (chatId, replies) => (sent.push({ chatId, text: replies[0].text, data: (replies[0].choices ?? []).map((c) => c.data) }), { ok: true, messageIds: ['1'] }),
  };
  panel.app.ctx.notifier.register(fake);
  admin = await loggedIn(panel.base, ADMIN.email, ADMIN.password);
  lanB = await loggedIn(panel.base, 'lan@chot.test');
  minhB = await loggedIn(panel.base, 'minh@chot.test');
  hoaB = await loggedIn(panel.base, 'hoa@chot.test');
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

let phoneSeq = 200;
async function customerOfLan(name: string) {
  phoneSeq += 1;
  return createCustomer(userActor({ _id: lan._id, role: 'sales' }), { name, phones: [`0913 345 ${phoneSeq}`] });
}
const post = (who: Browser, id: unknown, action: string, data: Record<string, unknown>) => who.api('POST', `${R}/${id}/${action}`, data);
const page = async (who: Browser, id: unknown) => {
  const res = await who.api('GET', `${R}/${id}/show`);
  expect(res.status).toBe(200);
  return JSON.parse(res.data.record.params.cardJson);
};
/** AdminJS answers a refused GET with 200 and a forbidden notice, and no card. */
const notShown = async (who: Browser, id: unknown) => {
  const res = await who.api('GET', `${R}/${id}/show`);
  return (res.status === 403 || res.data?.notice?.message === 'forbiddenError') && !res.data?.record?.params?.cardJson;
};
const refused = (res: { status: number; data: any }) => res.status === 403 || res.data?.notice?.type === 'error';

describe('comments on the customer page', () => {
  it('the owner names a colleague, who is notified and follows: reads and comments, every change refused and nothing stored', async () => {
    const c = await customerOfLan('Đỗ Thị Thanh');
    const ok = await post(lanB, c._id, 'addComment', { text: 'Khách cần báo giá gấp, @minh gọi giúp' });
    expect(ok.data.notice).toMatchObject({ type: 'success', message: 'commentSavedNotified', options: { names: 'sales minh' } });
    expect(sent.at(-1)).toMatchObject({ chatId: '7002', data: [`c:${c._id}`] });
    expect(sent.at(-1)!.text).toContain('sales lan nhắc bạn về khách');
    expect((await Customer.findById(c._id).lean())!.followers!.map((f) => String(f.user))).toEqual([String(minh._id)]);

    const asFollower = await page(minhB, c._id);
    expect(asFollower.canChange).toBe(false);
    expect(asFollower.comments.map((x: { text: string; author: { name: string } }) => [x.author.name, x.text])).toEqual([['sales lan', 'Khách cần báo giá gấp, @minh gọi giúp']]);
    expect(asFollower.followers.map((f: { name: string }) => f.name)).toEqual(['sales minh']);
    const answer = await post(minhB, c._id, 'addComment', { text: 'Em gọi rồi ạ' });
    expect(answer.data.notice).toMatchObject({ type: 'success', message: 'commentSaved' });
    expect(await Comment.countDocuments({ author: minh._id, 'target.id': c._id })).toBe(1);

    const won = (await Stage.findOne({ kind: 'won' }).lean())!;
    const group = (await Group.findOne().lean())!;
    const before = JSON.stringify(await Customer.findById(c._id).lean());
    const attempts: [string, Record<string, unknown>][] = [
      ['logInteraction', { type: 'call', text: 'x' }],
      ['setStage', { stage: String(won._id), amount: '10tr' }],
      ['scheduleFollowUp', { dueAt: '2030-01-01T09:00' }],
      ['reassign', { owner: String(minh._id) }],
      ['addGroup', { group: String(group._id) }],
      ['reply', { text: 'xin chào' }],
      ['edit', { name: 'Đổi tên' }],
      ['delete', {}],
      ['removeFollower', { user: String(minh._id) }],
    ];
    for (const [action, data] of attempts) {
      expect({ action, refused: refused(await post(minhB, c._id, action, data)) }).toEqual({ action, refused: true });
    }
    const removal = await post(minhB, c._id, 'removeFollower', { user: String(minh._id) });
    expect(removal.data.notice?.message).toBe('crmError_customer_followerReadOnly');
    expect(JSON.stringify(await Customer.findById(c._id).lean())).toBe(before);
    expect(await Interaction.countDocuments({ customer: c._id })).toBe(0);
    expect(await FollowUp.countDocuments({ customer: c._id })).toBe(0);
  });

  it('a salesperson nobody named is refused on the page and the API routes; a post from another site is refused', async () => {
    const c = await customerOfLan('Bùi Văn Khải');
    await post(lanB, c._id, 'addComment', { text: 'ghi chú nội bộ' });
    const mine = (await Comment.findOne({ 'target.id': c._id }).lean())!;
    expect(await notShown(hoaB, c._id)).toBe(true);
    for (const [action, data] of [
      ['addComment', { text: 'chen ngang' }],
      ['editComment', { comment: String(mine._id), text: 'sửa trộm' }],
      ['deleteComment', { comment: String(mine._id) }],
      ['removeFollower', { user: String(lan._id) }],
    ] as [string, Record<string, unknown>][]) {
      const res = await post(hoaB, c._id, action, data);
      expect({ action, refused: res.status === 403 || res.data?.notice?.message === 'forbiddenError' }).toEqual({ action, refused: true });
    }
    const foreign = await lanB.request('POST', `/admin/api${R}/${c._id}/addComment`, { text: 'giả mạo' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await Comment.find({ 'target.id': c._id }).lean()).map((x) => x.text)).toEqual(['ghi chú nội bộ']);
  });

  it('authors edit or delete their own comments within 2 hours; others and later are refused', async () => {
    const c = await customerOfLan('Lý Thị Mai');
    await post(lanB, c._id, 'addComment', { text: 'bản đầu' });
    const comment = (await Comment.findOne({ 'target.id': c._id }).lean())!;
    expect((await page(lanB, c._id)).comments[0].editable).toBe(true);
    expect((await page(admin, c._id)).comments[0].editable).toBe(false);
    const byAdmin = await post(admin, c._id, 'editComment', { comment: String(comment._id), text: 'admin sửa' });
    expect(byAdmin.data.notice).toMatchObject({ type: 'error', message: 'crmError_comment_notAuthor' });
    const edited = await post(lanB, c._id, 'editComment', { comment: String(comment._id), text: 'bản sửa' });
    expect(edited.data.notice).toMatchObject({ type: 'success', message: 'commentEdited' });
    expect((await Comment.findById(comment._id).lean())!).toMatchObject({ text: 'bản sửa', editedAt: expect.any(Date) });

    // Written 2 hours and a minute ago: too late for either.
    await Comment.updateOne({ _id: comment._id }, { $set: { createdAt: new Date(Date.now() - 121 * 60_000) } });
    expect((await page(lanB, c._id)).comments[0].editable).toBe(false);
    for (const action of ['editComment', 'deleteComment']) {
      const late = await post(lanB, c._id, action, { comment: String(comment._id), text: 'quá muộn' });
      expect(late.data.notice).toMatchObject({ type: 'error', message: 'crmError_comment_editWindowOver' });
    }
    const kept = (await Comment.findById(comment._id).lean())!;
    expect(kept.text).toBe('bản sửa');
    expect(kept.deletedAt).toBeFalsy();

    await post(lanB, c._id, 'addComment', { text: 'xoá tôi đi' });
    const fresh = (await Comment.findOne({ text: 'xoá tôi đi' }).lean())!;
    expect((await post(lanB, c._id, 'deleteComment', { comment: String(fresh._id) })).data.notice).toMatchObject({ type: 'success', message: 'commentDeleted' });
    expect((await page(lanB, c._id)).comments.map((x: { text: string }) => x.text)).toEqual(['bản sửa']);
  });

  it('an ambiguous @name is refused with the names to choose from, and nothing typed is lost', async () => {
    await makeUser('sales', 'minh.tran@chot.test');
    await User.updateOne({ email: 'minh.tran@chot.test' }, { $set: { name: 'Trần Minh' } });
    await User.updateOne({ email: 'minh@chot.test' }, { $set: { name: 'Phạm Minh' } });
    const c = await customerOfLan('Hồ Văn Tâm');
    const res = await post(lanB, c._id, 'addComment', { text: '@minh xem giúp' });
    expect(res.data.notice).toMatchObject({ type: 'error', message: 'crmError_comment_mentionAmbiguous', options: { name: 'minh' } });
    expect(res.data.notice.options.candidates).toContain('Phạm Minh');
    expect(res.data.notice.options.candidates).toContain('Trần Minh');
    expect(await Comment.countDocuments({ 'target.id': c._id })).toBe(0);
    const clear = await post(lanB, c._id, 'addComment', { text: '@pham.minh xem giúp, @ai.do nữa' });
    expect(clear.data.notice).toMatchObject({ type: 'success', message: 'commentSavedUnknown', options: { unknown: '@ai.do' } });
    await User.updateOne({ email: 'minh@chot.test' }, { $set: { name: 'sales minh' } });
  });

  it('shows the unread count until the page is opened, the filtered history, and lets the owner remove a follower', async () => {
    const other = await customerOfLan('Khách Khác Của Lan');
    const already = (await page(lanB, other._id)).unread.total;
    const c = await customerOfLan('Tạ Quang Huy');
    await post(lanB, c._id, 'addComment', { text: '@minh anh xem khách này' });
    await post(admin, c._id, 'logInteraction', { type: 'call', text: 'Đã gọi lần đầu' });
    await post(admin, c._id, 'addComment', { text: 'Quản trị nhắc: ưu tiên khách này' });
    // Lan opens another customer's page: she sees her "Mới cập nhật" there too.
    // The dashboard shows the same count, to every role.
    expect((await lanB.api('GET', '/dashboard')).data.unread).toMatchObject({ total: already + 1, customers: expect.arrayContaining([expect.objectContaining({ name: 'Tạ Quang Huy', unread: 1 })]) });
    // The admin wrote, but owns and follows nothing: nothing unread for them.
    expect((await admin.api('GET', '/dashboard')).data.unread.total).toBe(0);
    const elsewhere = await page(lanB, other._id);
    expect(elsewhere.unread.total).toBe(already + 1);
    expect(elsewhere.unread.customers[0]).toMatchObject({ name: 'Tạ Quang Huy', unread: 1 });
    const opened = await page(lanB, c._id);
    expect(opened.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['comment', 'interaction']));
    expect((await page(lanB, other._id)).unread.total).toBe(already);
    expect((await page(minhB, other._id).catch(() => null))).toBeNull();

    const removed = await post(lanB, c._id, 'removeFollower', { user: String(minh._id) });
    expect(removed.data.notice).toMatchObject({ type: 'success', message: 'followerRemoved' });
    expect(await notShown(minhB, c._id)).toBe(true);
  });
});

describe('comments on the organization and opportunity pages', () => {
  const ORG = '/resources/Organization/records';
  const OPP = '/resources/Opportunity/records';
  let quan: { _id: Types.ObjectId; name: string };
  let n = 0;

  async function lanCompany() {
    n += 1;
    const lanActor = userActor({ _id: lan._id, role: 'sales' });
    const org = await createOrganization(lanActor, { name: `Công ty Hải Nam ${n}`, taxCode: `03099900${String(n).padStart(2, '0')}` });
    const opp = await createOpportunity(lanActor, { organization: org._id, name: `Máy in ${n}`, value: '20tr' });
    return { org, opp };
  }
  const commentsOnPage = async (who: Browser, url: string) => {
    const res = await who.api('GET', `${url}/show`);
    return JSON.parse(res.data.record.params.commentsJson);
  };

  beforeAll(async () => {
    quan = await makeUser('manager', 'quan@chot.test');
    await User.updateOne({ _id: quan._id }, { $set: { 'chatIds.telegram': '7003' } });
  });

  it('the owner comments on the organization page: the manager named is told with an open-organization button, a salesperson who cannot see it is named and left out', async () => {
    const { org } = await lanCompany();
    const ok = await lanB.api('POST', `${ORG}/${org._id}/addComment`, { text: 'Sắp ký hợp đồng, @quan duyệt giá, @hoa xem cùng' });
    expect(ok.data.notice).toMatchObject({ type: 'success', message: 'commentSavedUnseen_organization', options: { names: 'manager quan', unseen: 'sales hoa' } });
    expect(sent.at(-1)).toMatchObject({ chatId: '7003', data: [`og:${org._id}`] });
    expect(sent.at(-1)!.text).toContain(`nhắc bạn về tổ chức ${org.code}`);
    expect(sent.filter((s) => s.text.includes('tổ chức')).map((s) => s.chatId)).toEqual(['7003']);
    const stored = (await Comment.findOne({ 'target.id': org._id }).lean())!;
    expect(stored.target.kind).toBe('organization');
    expect(stored.mentions.map(String)).toEqual([String(quan._id)]);

    const mine = await commentsOnPage(lanB, `${ORG}/${org._id}`);
    expect(mine).toMatchObject([{ text: 'Sắp ký hợp đồng, @quan duyệt giá, @hoa xem cùng', editable: true }]);
    expect(await commentsOnPage(admin, `${ORG}/${org._id}`)).toMatchObject([{ editable: false }]);
    const edited = await lanB.api('POST', `${ORG}/${org._id}/editComment`, { comment: String(stored._id), text: 'Đã ký hợp đồng' });
    expect(edited.data.notice).toMatchObject({ type: 'success', message: 'commentEdited' });
    expect((await Comment.findById(stored._id).lean())!.text).toBe('Đã ký hợp đồng');
  });

  it('a salesperson who may not see an organization or opportunity cannot read or comment on it, by the page or the API route; nothing is stored', async () => {
    const { org, opp } = await lanCompany();
    await lanB.api('POST', `${ORG}/${org._id}/addComment`, { text: 'ghi chú tổ chức' });
    await lanB.api('POST', `${OPP}/${opp._id}/addComment`, { text: 'ghi chú cơ hội' });
    const [onOrg, onOpp] = await Promise.all([Comment.findOne({ 'target.id': org._id }).lean(), Comment.findOne({ 'target.id': opp._id }).lean()]);

    for (const [url, comment] of [[`${ORG}/${org._id}`, onOrg!._id], [`${OPP}/${opp._id}`, onOpp!._id]] as const) {
      const shown = await hoaB.api('GET', `${url}/show`);
      expect(shown.status === 403 || shown.data?.notice?.message === 'forbiddenError').toBe(true);
      expect(shown.data?.record?.params?.commentsJson).toBeUndefined();
      for (const [action, data] of [
        ['addComment', { text: 'chen ngang' }],
        ['editComment', { comment: String(comment), text: 'sửa trộm' }],
        ['deleteComment', { comment: String(comment) }],
      ] as [string, Record<string, unknown>][]) {
        const res = await hoaB.api('POST', `${url}/${action}`, data);
        expect({ url, action, refused: refused(res) }).toEqual({ url, action, refused: true });
      }
      const foreign = await lanB.request('POST', `/admin/api${url}/addComment`, { text: 'giả mạo' }, { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
    }
    expect((await Comment.find({ 'target.id': { $in: [org._id, opp._id] } }).lean()).map((x) => [x.text, x.deletedAt ?? null]).sort()).toEqual([
      ['ghi chú cơ hội', null],
      ['ghi chú tổ chức', null],
    ]);
  });
});

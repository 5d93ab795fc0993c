import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startPanel, Browser, ADMIN, makeUser } from './harness.js';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { Settings } from '../../models/settings.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { locale } from '../../admin/locale.js';
import type { TextTree } from '../../admin/locales/merge.js';

/**
 * The panel's texts and what it hands out, through HTTP as a logged-in browser: every text the
 * running panel asks for exists in Vietnamese, audit lines name what was changed, the CSV export
 * reads as the team writes (local dates, national phones, notes), settings and stage colours.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let sales: Browser;
const R = '/resources';

beforeAll(async () => {
  panel = await startPanel();
  await makeUser('sales', 'lan@chot.test');
  admin = new Browser(panel.base);
  sales = new Browser(panel.base);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(302);
  expect((await sales.login('lan@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

/** A key in a translation tree; a key may itself contain dots (`properties['chatIds.telegram']`). */
function hasText(tree: TextTree | string | undefined, parts: string[]): boolean {
  if (parts.length === 0) return typeof tree === 'string' && tree.length > 0;
  if (!tree || typeof tree === 'string') return false;
  for (let i = 1; i <= parts.length; i += 1) {
    if (hasText(tree[parts.slice(0, i).join('.')], parts.slice(i))) return true;
  }
  return false;
}
const vi = locale.translations.vi as TextTree;
const viHas = (key: string) => hasText(vi, key.split('.'));

/** The state AdminJS renders into the page for this person: resources, actions, properties, pages. */
async function panelState(browser: Browser) {
  const html = await (await browser.request('GET', '/admin')).text();
  const json = /window\.REDUX_STATE = (\{.*?\});\n/s.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
}

describe('Vietnamese texts', () => {
  it('has a Vietnamese text for every key AdminJS itself has in English', async () => {
    const en = JSON.parse(await readFile(path.resolve('node_modules/adminjs/lib/locale/en/translation.json'), 'utf8')) as TextTree;
    const keys: string[] = [];
    const walk = (tree: TextTree, prefix: string) => {
      for (const [k, v] of Object.entries(tree)) typeof v === 'string' ? keys.push(prefix + k) : walk(v, `${prefix}${k}.`);
    };
    walk(en, '');
    // Other languages in the picker and AdminJS's own marketing tiles are never shown by chot.
    const shown = keys.filter((k) => !/^components\.LanguageSelector\.availableLanguages\.(?!vi$|en$)/.test(k) && !/^messages\.(addingResources|customize|writeOwn|customDashboard|roleBased|community|foundBug|needMore)/.test(k));
    expect(shown.filter((k) => !viHas(k))).toEqual([]);
  });

  it('has a Vietnamese name for every resource, action, property and value the running panel shows, for admin and sales', async () => {
    for (const browser of [admin, sales]) {
      const state = await panelState(browser);
      const missing: string[] = [];
      const need = (...candidates: string[]) => {
        if (!candidates.some(viHas)) missing.push(candidates[candidates.length - 1]);
      };
      for (const resource of state.resources) {
        const id = resource.id;
        need(`resources.${id}.name`, `labels.${id}`);
        if (resource.navigation?.name) need(`labels.${resource.navigation.name}`);
        // Resource actions as listed for this person (hidden ones are not), record and bulk actions all.
        const actions = [...resource.resourceActions, ...resource.actions.filter((a: any) => a.actionType !== 'resource')];
        for (const action of actions) need(`resources.${id}.actions.${action.name}`, `actions.${action.name}`);
        const properties = [...resource.listProperties, ...resource.showProperties, ...resource.editProperties, ...resource.filterProperties];
        const visit = (p: any) => {
          need(`resources.${id}.properties.${p.label}`, `properties.${p.label}`);
          for (const v of p.availableValues ?? []) need(`resources.${id}.labels.${p.propertyPath}.${v.value}`, `labels.${p.propertyPath}.${v.value}`);
          for (const sub of p.subProperties ?? []) visit(sub);
        };
        properties.forEach(visit);
      }
      expect(state.pages.length).toBeGreaterThan(0);
      for (const page of state.pages) need(`pages.${page.name}`);
      expect([...new Set(missing)]).toEqual([]);
    }
  });

  it('says a refusal without AdminJS variables it never fills in', () => {
    // AdminJS throws its forbiddenError without actionName/resourceId, so a text using them shows "{{actionName}}".
    expect(JSON.stringify((vi.messages as TextTree).forbiddenError)).not.toMatch(/\{\{/);
    expect(JSON.stringify(((locale.translations.en as TextTree).messages as TextTree).forbiddenError)).not.toMatch(/\{\{/);
  });
});

describe('the audit log', () => {
  it('tells each line as a story: who, which record by its code and name, which fields', async () => {
    const c = await createCustomer(SYSTEM, { name: 'Nguyễn Văn A', phones: ['0912000222'] });
    const edited = await admin.api('POST', `${R}/Customer/records/${c._id}/edit`, { name: 'Nguyễn Văn An', 'phones.0': '0912000223' });
    expect(edited.data.notice.type).toBe('success');
    const ids = (await admin.api('GET', `${R}/Stage/actions/reorder`)).data.stages.map((s: any) => s.id);
    await admin.api('POST', `${R}/Stage/actions/reorder`, { ids: [ids[1], ids[0], ...ids.slice(2)].join(',') });
    const list = await admin.api('GET', `${R}/AuditLog/actions/list?sortBy=at&direction=desc`);
    const stories = list.data.records.map((r: any) => JSON.parse(r.params.story));
    expect(stories).toContainEqual({ who: 'Admin', action: 'edit', subject: 'customer', record: `${c.code} · Nguyễn Văn An`, fields: ['name', 'phones'] });
    expect(stories).toContainEqual(expect.objectContaining({ who: 'Admin', action: 'reorder', subject: 'stage' }));
    // Nobody reads raw JSON or English verbs: the list shows the time and the sentence only.
    const state = await panelState(admin);
    const audit = state.resources.find((r: any) => r.id === 'AuditLog');
    expect(audit.listProperties.map((p: any) => p.propertyPath)).toEqual(['at', 'story']);
  });
});

describe('the CSV export', () => {
  it('writes dates in the company time zone as dd/MM/yyyy HH:mm, phones as dialled, and the notes', async () => {
    await Settings.updateOne({ key: 'global' }, { $set: { timezone: 'Asia/Ho_Chi_Minh' } });
    const c = await createCustomer(SYSTEM, { name: 'Phạm Thị Ghi', phones: ['+84913444555'], notes: 'Gọi sau 17h; thích căn góc' });
    // 20:30 UTC is 03:30 the next morning in Việt Nam.
    // Through the driver: mongoose keeps createdAt as it was set at creation.
    await Customer.collection.updateOne({ _id: c._id }, { $set: { createdAt: new Date('2026-12-01T20:30:00Z'), lastContactAt: new Date('2026-12-02T01:05:00Z') } });
    const res = await admin.request('GET', '/admin/export/customers.csv?filters.searchText=0913444555');
    const [header, row] = (await res.text()).replace(/^\ufeff/, '').trim().split('\n');
    const columns = header.split(',');
    const cells = row.split(',');
    const cell = (name: string) => cells[columns.indexOf(name)];
    expect(columns).toContain('Ghi chú');
    expect(cell('Ghi chú')).toBe('Gọi sau 17h; thích căn góc');
    expect(cell('Số điện thoại')).toBe(formatPhone('+84913444555'));
    expect(cell('Số điện thoại')).toBe('0913 444 555');
    expect(cell('Ngày tạo')).toBe('02/12/2026 03:30');
    expect(cell('Liên hệ lần cuối')).toBe('02/12/2026 08:05');
  });
});

describe('setup pages', () => {
  it('opens Settings as its one form: the list action is the form redirect, and saving keeps one document', async () => {
    const state = await panelState(admin);
    const settings = state.resources.find((r: any) => r.id === 'Settings');
    expect(settings.actions.find((a: any) => a.name === 'list').component).toBe('SettingsForm');
    // The settings page says plainly that email open tracking is off unless the server turns it on.
    expect(settings.editProperties.find((p: any) => p.propertyPath === 'companyName').description).toBe('settingsCompanyNameOutreach');
    expect((locale.translations.vi as any).messages.settingsCompanyNameOutreach).toContain('Theo dõi mở email');
    const id = String((await Settings.findOne({ key: 'global' }).lean())!._id);
    const saved = await admin.api('POST', `${R}/Settings/records/${id}/edit`, { companyName: 'Công ty Nhà Đẹp', digestHour: '8' });
    expect(saved.data.notice.type).toBe('success');
    expect(await Settings.countDocuments()).toBe(1);
    expect((await Settings.findOne().lean())!.companyName).toBe('Công ty Nhà Đẹp');
  });

  it('edits a stage colour with the picker, and still refuses a colour that is not #rrggbb', async () => {
    const state = await panelState(admin);
    const stageResource = state.resources.find((r: any) => r.id === 'Stage');
    expect(stageResource.editProperties.find((p: any) => p.propertyPath === 'color').components.edit).toBe('ColorPicker');
    const stage = (await Stage.findOne({ code: 'nong' }).lean())!;
    const bad = await admin.api('POST', `${R}/Stage/records/${stage._id}/edit`, { color: 'red; background:url(x)' });
    expect(bad.data.notice.type).toBe('error');
    expect((await Stage.findById(stage._id).lean())!.color).toBe(stage.color);
    const good = await admin.api('POST', `${R}/Stage/records/${stage._id}/edit`, { color: '#ef4444' });
    expect(good.data.notice.type).toBe('success');
    expect((await Stage.findById(stage._id).lean())!.color).toBe('#ef4444');
  });

  it('serves its own icon and stylesheet, and no page of the panel links to an outside font', async () => {
    const icon = await admin.request('GET', '/chot-assets/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    for (const [browser, url] of [[admin, '/admin'], [new Browser(panel.base), '/admin/login']] as const) {
      const html = await (await browser.request('GET', url)).text();
      expect(html).toContain('REDUX_STATE');
      expect(html).not.toMatch(/(?:href|src)="https?:\/\//i);
      if (url === '/admin/login') expect(html).toContain('/chot-assets/favicon.svg');
    }
    const csp = (await admin.request('GET', '/admin')).headers.get('content-security-policy') ?? '';
    expect(csp).not.toMatch(/googleapis|gstatic/);
  });
});

import http from 'node:http';
import { useTestDatabase } from '../helpers/database.js';
import { makeCustomer } from '../jobs/fixtures.js';
import { closeServer, listenOnLoopback, startOutreach } from './helpers.js';
import { toUnaccented } from '../../crm/outreach/sms/unaccented.js';
import { smsCostVnd, smsSegments } from '../../crm/outreach/sms/segments.js';
import { smsPreview } from '../../crm/outreach/sms/preview.js';

useTestDatabase();

describe('Vietnamese without diacritics', () => {
  it.each([
    ['Chào chị Lan, đơn hàng của chị đã được giao thành công. Cảm ơn chị đã tin tưởng!', 'Chao chi Lan, don hang cua chi da duoc giao thanh cong. Cam on chi da tin tuong!'],
    ['ĐẶNG VĂN ĐỨC ơi, ưu đãi “Tết Nguyên Đán” giảm 20% – chỉ đến 31/1…', 'DANG VAN DUC oi, uu dai "Tet Nguyen Dan" giam 20% - chi den 31/1...'],
    ['Nguyễn Thị Thuỷ, Hồ Chí Minh, Quảng Ngãi, Đà Nẵng, Huế, Bắc Kạn', 'Nguyen Thi Thuy, Ho Chi Minh, Quang Ngai, Da Nang, Hue, Bac Kan'],
    ['Quý khách vui lòng thanh toán trước ngày 15. Hotline: 1900 1234', 'Quy khach vui long thanh toan truoc ngay 15. Hotline: 1900 1234'],
    ['Ỷ Ỹ Ự Ặ Ệ Ờ ượng khuỷu nghiêng ngả', 'Y Y U A E O uong khuyu nghieng nga'],
  ])('%s', (vietnamese, plain) => {
    expect(toUnaccented(vietnamese)).toBe(plain);
    expect(smsSegments(toUnaccented(vietnamese)).encoding).toBe('gsm7');
  });

  it('also drops marks typed as separate combining characters (decomposed text from some keyboards)', () => {
    expect(toUnaccented('Vie\u0323\u0302t Nam')).toBe('Viet Nam');
  });
});

describe('SMS segments and cost', () => {
  it('GSM-7: 160 in one message, then parts of 153', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1, perSegment: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2, perSegment: 153 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    // € and [ ] take two septets each.
    expect(smsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
    expect(smsSegments('')).toMatchObject({ segments: 0 });
  });

  it('UCS-2 (one Vietnamese mark is enough): 70 in one message, then parts of 67', () => {
    expect(smsSegments('ă'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, segments: 1, perSegment: 70 });
    expect(smsSegments(`${'a'.repeat(70)}`).encoding).toBe('gsm7');
    expect(smsSegments(`${'a'.repeat(70)}ă`)).toEqual({ encoding: 'ucs2', units: 71, segments: 2, perSegment: 67 });
    expect(smsSegments('ă'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ă'.repeat(135)).segments).toBe(3);
  });

  it('the preview shows both versions with their parts and cost', () => {
    const text = 'Chào chị Lan, đơn hàng KH000123 của chị đã được giao. Cảm ơn chị đã tin tưởng Công ty ABC!';
    const preview = smsPreview(text, 800);
    expect(preview.asWritten).toMatchObject({ encoding: 'ucs2', segments: 2, costVnd: 1600 });
    expect(preview.unaccented).toMatchObject({ text: 'Chao chi Lan, don hang KH000123 cua chi da duoc giao. Cam on chi da tin tuong Cong ty ABC!', encoding: 'gsm7', segments: 1, costVnd: 800 });
    expect(smsCostVnd('a'.repeat(161), 750)).toBe(1500);
  });
});

interface GatewayCall {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A brandname gateway: numbers ending 0000 are invalid, 1111 out of balance, 2222 too many, key `wrong` refused. */
async function startGateway() {
  const calls: GatewayCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      calls.push({ authorization: req.headers.authorization, body });
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(json));
      if (req.headers.authorization !== 'Bearer sms-key-123456') return answer(401, { error: 'unauthorized' });
      const to = String(body.to);
      if (to.endsWith('0000')) return answer(400, { error: 'invalid_phone', message: 'Số điện thoại không hợp lệ' });
      if (to.endsWith('1111')) return answer(402, { error: 'insufficient_balance' });
      if (to.endsWith('2222')) return answer(429, { error: 'too_many' }, { 'Retry-After': '30' });
      answer(200, { id: `sms-${calls.length}` });
    });
  });
  const url = await listenOnLoopback(server);
  return { url: `${url}/api/send`, calls, stop: () => closeServer(server) };
}

describe('SMS through a brandname gateway', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.stop());
  beforeEach(() => {
    gateway.calls.length = 0;
  });

  const env = () => ({ SMS_PROVIDER: 'http', SMS_API_URL: gateway.url, SMS_API_KEY: 'sms-key-123456', SMS_BRANDNAME: 'CONGTYABC', SMS_PRICE_PER_SEGMENT_VND: '750' });

  it('sends the unaccented text to the 84… number with the key and brandname, and costs its parts', async () => {
    const chot = await startOutreach(env());
    try {
      const c = await makeCustomer({});
      const sms = chot.notifier.outreach('sms')!;
      const text = `Chào anh Đức, lịch hẹn xem nhà của anh là 9h sáng thứ Bảy. ${'Vui lòng gọi lại nếu cần đổi. '.repeat(4)}`;
      const result = await sms.send('+84912345678', { customerId: c._id, text, trackingId: 'care:1' });
      const plain = toUnaccented(text).trim();
      expect(result).toEqual({ ok: true, providerId: 'sms-1', costVnd: smsSegments(plain).segments * 750 });
      expect(smsSegments(plain).segments).toBe(2);
      expect(gateway.calls).toEqual([
        { authorization: 'Bearer sms-key-123456', body: { to: '84912345678', brandname: 'CONGTYABC', text: plain, reference: 'care:1' } },
      ]);
    } finally {
      await chot.stop();
    }
  });

  it('records refusals: invalid number, no balance, too many (retry later), wrong key', async () => {
    const chot = await startOutreach(env());
    const wrongKey = await startOutreach({ ...env(), SMS_API_KEY: 'wrong' });
    try {
      const c = await makeCustomer({});
      const send = (phone: string, via = chot) => via.notifier.outreach('sms')!.send(phone, { customerId: c._id, text: 'Xin chào', trackingId: `t${phone}` });
      expect(await send('+84912340000')).toMatchObject({ ok: false, reason: 'invalid_address', code: 'invalid_phone' });
      expect(await send('+84912341111')).toMatchObject({ ok: false, reason: 'quota', code: 'insufficient_balance' });
      expect(await send('+84912342222')).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterSeconds: 30 });
      expect(await send('+84912345678', wrongKey)).toMatchObject({ ok: false, reason: 'not_configured' });
      // Not a Vietnamese mobile: refused before the gateway is paid for anything.
      expect(await send('+842838221234')).toMatchObject({ ok: false, reason: 'invalid_address' });
      expect(gateway.calls).toHaveLength(4);
    } finally {
      await chot.stop();
      await wrongKey.stop();
    }
  });

  it('the console provider logs the message, never the key', async () => {
    const chot = await startOutreach({ SMS_PROVIDER: 'console', SMS_API_KEY: 'sms-key-123456', SMS_BRANDNAME: 'CONGTYABC' });
    try {
      const c = await makeCustomer({});
      expect(await chot.notifier.outreach('sms')!.send('+84912345678', { customerId: c._id, text: 'Chào chị', trackingId: 'dev:1' })).toMatchObject({ ok: true });
      const logged = JSON.stringify(chot.log.lines);
      expect(logged).toContain('Chao chi');
      expect(logged).toContain('84912345678');
      expect(logged).not.toContain('sms-key-123456');
      expect(gateway.calls).toHaveLength(0);
    } finally {
      await chot.stop();
    }
  });

  it('SMS_PROVIDER=http without a key leaves SMS off with one log line', async () => {
    const chot = await startOutreach({ SMS_PROVIDER: 'http', SMS_API_URL: gateway.url });
    try {
      expect(chot.notifier.outreach('sms')).toBeUndefined();
      expect(chot.log.text()).toContain('SMS is off: SMS_PROVIDER=http needs SMS_API_KEY, SMS_BRANDNAME');
    } finally {
      await chot.stop();
    }
  });
});

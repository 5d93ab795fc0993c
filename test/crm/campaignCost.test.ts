import { estimateCost, outreachPrices, DEFAULT_PRICES } from '../../crm/campaigns/cost.js';
import { renderSms } from '../../crm/campaigns/outreachContent.js';

/**
 * What the builder's cost line says: SMS segments × price per segment, ZNS messages × price. The
 * segment rules themselves (GSM-7 / UCS-2) are the SMS sender's, tested in test/outreach/sms.test.ts.
 */
describe('campaign cost estimate', () => {
  const prices = { smsPerSegment: 700, znsPerMessage: 250 };

  it('prices SMS by segments of the text as sent: one for 160 plain characters, two past it', () => {
    expect(estimateCost({ sms: 10 }, 'a'.repeat(160), prices)).toMatchObject({ smsSegments: 1, smsEncoding: 'gsm7', sms: 7000, total: 7000 });
    expect(estimateCost({ sms: 10 }, 'a'.repeat(161), prices)).toMatchObject({ smsSegments: 2, sms: 14_000 });
    // With marks the text is UCS-2: 70 a segment, 67 once split.
    expect(estimateCost({ sms: 1 }, 'ư'.repeat(71), prices)).toMatchObject({ smsSegments: 2, smsEncoding: 'ucs2', sms: 1400 });
  });

  it('the campaign SMS is the text without marks, so a Vietnamese sentence costs one segment instead of two', () => {
    const template = 'Chào chị {ten}, cửa hàng gửi chị ưu đãi cuối năm: giảm 15% mọi sản phẩm đến hết 31/12. Chi tiết gọi 0912 345 678.';
    const sms = renderSms(template, {}, { name: 'Nguyễn Thị Hương' }, '');
    expect(sms).toBe('Chao chi Nguyen Thi Huong, cua hang gui chi uu dai cuoi nam: giam 15% moi san pham den het 31/12. Chi tiet goi 0912 345 678.');
    expect(estimateCost({ sms: 100 }, sms, prices)).toMatchObject({ smsSegments: 1, sms: 70_000 });
    expect(estimateCost({ sms: 100 }, template.replace('{ten}', 'Nguyễn Thị Hương'), prices)).toMatchObject({ smsSegments: 2 });
    // Its own SMS text when given, else the chat template.
    expect(renderSms('Chào {ten}', { smsText: 'SMS cho {ten}' }, { name: 'Hà' }, '')).toBe('SMS cho Ha');
  });

  it('adds ZNS per message; email and chat are free', () => {
    expect(estimateCost({ sms: 10, zns: 4, email: 100, telegram: 50 }, 'x'.repeat(200), prices)).toEqual({
      smsSegments: 2,
      smsEncoding: 'gsm7',
      sms: 10 * 2 * 700,
      zns: 4 * 250,
      total: 14_000 + 1000,
      prices,
    });
    expect(estimateCost({ email: 5, web: 3 }, 'x', prices).total).toBe(0);
  });

  it('reads the prices from the same settings as the senders, with the stated defaults', () => {
    expect(DEFAULT_PRICES).toEqual({ smsPerSegment: 800, znsPerMessage: 300 });
    expect(outreachPrices({})).toEqual(DEFAULT_PRICES);
    expect(outreachPrices({ SMS_PRICE_PER_SEGMENT_VND: '650', ZALO_ZNS_PRICE_VND: '220' })).toEqual({ smsPerSegment: 650, znsPerMessage: 220 });
    // A typo falls back to the default instead of making every estimate free.
    expect(outreachPrices({ SMS_PRICE_PER_SEGMENT_VND: 'tám trăm', ZALO_ZNS_PRICE_VND: '-5' })).toEqual(DEFAULT_PRICES);
  });
});

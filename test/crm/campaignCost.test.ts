import { smsSize, unaccented } from '../../crm/campaigns/smsText.js';
import { estimateCost, outreachPrices, DEFAULT_PRICES } from '../../crm/campaigns/cost.js';
import { renderSms } from '../../crm/campaigns/outreachContent.js';

/** What the builder's cost line says: SMS segments × price per segment, ZNS messages × price. */
describe('SMS length and campaign cost', () => {
  it('counts GSM segments at 160 / 153 and Vietnamese (UCS-2) ones at 70 / 67', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(smsSize('a'.repeat(306)).segments).toBe(2);
    expect(smsSize('a'.repeat(307)).segments).toBe(3);
    // Characters from the GSM extension table take two.
    expect(smsSize('{'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('ư'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
    expect(smsSize('ư'.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, segments: 2 });
    expect(smsSize('ư'.repeat(135)).segments).toBe(3);
    expect(smsSize('').segments).toBe(0);
  });

  it('removes Vietnamese marks, keeping case, so a message fits GSM segments', () => {
    expect(unaccented('Chào anh Đức, ưu đãi Tết: giảm 20% — HỦY gõ TC')).toBe('Chao anh Duc, uu dai Tet: giam 20% — HUY go TC');
    const text = 'Chào chị Nguyễn Thị Hương, cửa hàng gửi chị ưu đãi cuối năm: giảm 15% mọi sản phẩm đến hết 31/12. Chi tiết gọi 0912 345 678.';
    expect(smsSize(text)).toMatchObject({ encoding: 'ucs2', segments: 2 });
    expect(smsSize(unaccented(text))).toMatchObject({ encoding: 'gsm7', segments: 1 });
    // The campaign's SMS is unaccented unless the admin keeps the marks.
    expect(renderSms('Chào {ten}', {}, { name: 'Đặng Hải' }, '')).toBe('Chao Dang Hai');
    expect(renderSms('Chào {ten}', { smsUnaccented: false }, { name: 'Đặng Hải' }, '')).toBe('Chào Đặng Hải');
    expect(renderSms('Chào {ten}', { smsText: 'SMS cho {ten}' }, { name: 'Hà' }, '')).toBe('SMS cho Ha');
  });

  it('estimates the paid channels from the recipients per channel, at configurable prices', () => {
    const prices = { smsPerSegment: 700, znsPerMessage: 250 };
    const long = 'x'.repeat(200);
    expect(estimateCost({ sms: 10, zns: 4, email: 100, telegram: 50 }, long, prices)).toEqual({
      smsSegments: 2,
      smsEncoding: 'gsm7',
      sms: 10 * 2 * 700,
      zns: 4 * 250,
      total: 14_000 + 1000,
      prices,
    });
    expect(estimateCost({ email: 5 }, long, prices).total).toBe(0);
    expect(outreachPrices({})).toEqual(DEFAULT_PRICES);
    expect(outreachPrices({ SMS_PRICE_PER_SEGMENT_VND: '650', ZALO_ZNS_PRICE_VND: '220' })).toEqual({ smsPerSegment: 650, znsPerMessage: 220 });
    // A typo falls back to the default instead of making every estimate free.
    expect(outreachPrices({ SMS_PRICE_PER_SEGMENT_VND: 'tám trăm', ZALO_ZNS_PRICE_VND: '-5' })).toEqual(DEFAULT_PRICES);
  });
});

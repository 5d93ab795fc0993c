import { normalizePhone, formatPhone } from '../../crm/customers/phone.js';
import { foldVietnamese, customerSearchText } from '../../crm/customers/searchText.js';
import { parseVnd } from '../../crm/shared/money.js';
import { isCrmError } from '../../crm/shared/errors.js';

describe('Vietnamese phone numbers', () => {
  it.each(['0912.345.678', '+84 912 345 678', '84912345678', '0912-345-678', '(+84) 912345678', ' 0912 345 678 '])(
    '%s is +84912345678',
    (input) => {
      expect(normalizePhone(input)).toBe('+84912345678');
    },
  );

  it('accepts the newer 03x/07x/08x mobile prefixes and landlines', () => {
    expect(normalizePhone('0389 123 456')).toBe('+84389123456');
    expect(normalizePhone('070 123 4567')).toBe('+84701234567');
    expect(normalizePhone('024 3825 1234')).toBe('+842438251234');
  });

  it.each(['12345', 'abc', '0912', '', '091234567890123', '{"$gt": ""}', '+1 000'])('refuses %j with a reason', (input) => {
    let error: unknown;
    try {
      normalizePhone(input);
    } catch (e) {
      error = e;
    }
    expect(isCrmError(error, 'phone.invalid')).toBe(true);
  });

  it('formats a stored number the way people write it at home', () => {
    expect(formatPhone('+84912345678')).toBe('0912 345 678');
  });
});

describe('Vietnamese search folding', () => {
  it('removes diacritics and folds đ', () => {
    expect(foldVietnamese('Nguyễn Văn Đức')).toBe('nguyen van duc');
    expect(foldVietnamese('  TRẦN   thị   Ánh  ')).toBe('tran thi anh');
    expect(foldVietnamese('Phạm Quỳnh Hương')).toBe('pham quynh huong');
  });

  it('drops zero-width and right-to-left characters that hide in pasted names', () => {
    expect(foldVietnamese('Lê\u200b Văn\u202e Tám')).toBe('le van tam');
  });

  it('treats composed and decomposed Unicode alike', () => {
    expect(foldVietnamese('Nguye\u0302\u0303n')).toBe(foldVietnamese('Nguyễn'));
  });

  it('builds the stored search text from name, code, email and phone forms', () => {
    expect(customerSearchText({ name: 'Đỗ Thị Hà', code: 'KH000042', email: 'Ha@Mail.vn', phones: ['+84912345678'] })).toBe(
      'do thi ha kh000042 ha@mail.vn 84912345678 0912345678',
    );
  });
});

describe('amounts in VND', () => {
  it.each([
    ['50000000', 50_000_000],
    ['50.000.000', 50_000_000],
    ['50,000,000', 50_000_000],
    ['50tr', 50_000_000],
    ['50 triệu', 50_000_000],
    ['1,5 tỷ', 1_500_000_000],
    ['1.5ty', 1_500_000_000],
    ['500k', 500_000],
    ['2m', 2_000_000],
    ['3.000.000 đ', 3_000_000],
  ])('%s is %d', (input, expected) => {
    expect(parseVnd(input)).toBe(expected);
  });

  it.each(['abc', '-5', '1.2.3tr', '5 cái', '', '1e9'])('%j is not an amount', (input) => {
    expect(parseVnd(input)).toBeUndefined();
  });
});

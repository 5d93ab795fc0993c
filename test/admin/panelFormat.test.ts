// @ts-expect-error: plain JavaScript bundled for the browser, without type declarations.
import { nationalPhone, vnd } from '../../admin/components/panelFormat.js';

/** The panel components' shared formatting, as the browser runs it (plain JavaScript, no React). */
describe('panel formatting', () => {
  it('writes amounts in đồng as the team does, from numbers and from record params (strings)', () => {
    expect(vnd(35_000_000)).toBe('35.000.000 ₫');
    expect(vnd('1250000')).toBe('1.250.000 ₫');
    expect(vnd(0)).toBe('0 ₫');
  });

  it('writes Vietnamese phones in the national format', () => {
    expect(nationalPhone('+84912345678')).toBe('0912 345 678');
  });
});

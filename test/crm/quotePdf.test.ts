import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { pdfImageCount, pdfText } from '../helpers/pdfText.js';
import { tinyPng } from '../helpers/images.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createProduct } from '../../crm/products/products.js';
import { getQuotePdf, issueQuote } from '../../crm/quotes/quotes.js';
import { lineTotal, quoteTotals, readDiscount, readQuantity, readTypedLine } from '../../crm/quotes/quoteMath.js';
import { setCompanyLogo } from '../../crm/settings/companyLogo.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { Quote } from '../../models/quote.js';

useTestDatabase();

describe('quote amounts typed the Vietnamese way, in whole đồng', () => {
  it('reads typed lines, quantities and discounts', () => {
    expect(readTypedLine('Lắp đặt, 2, 1.500.000')).toEqual({ name: 'Lắp đặt', quantity: 2, unit: undefined, unitPrice: 1_500_000 });
    expect(readTypedLine('Bảo trì, 3 tháng, 1,5tr')).toEqual({ name: 'Bảo trì', quantity: 3, unit: 'tháng', unitPrice: 1_500_000 });
    expect(readTypedLine('Dây cáp; 2,5 m; 500k')).toEqual({ name: 'Dây cáp', quantity: 2.5, unit: 'm', unitPrice: 500_000 });
    expect(readTypedLine('Tư vấn, 1, 2 triệu')?.unitPrice).toBe(2_000_000);
    expect(readTypedLine('chỉ là tìm kiếm')).toBeUndefined();
    expect(() => readQuantity('0')).toThrow('quote.quantityInvalid');
    expect(() => readQuantity('-2')).toThrow('quote.quantityInvalid');
    expect(readDiscount('10%')).toEqual({ kind: 'percent', value: 10 });
    expect(readDiscount('500k')).toEqual({ kind: 'amount', value: 500_000 });
    expect(() => readDiscount('120%')).toThrow('quote.discountInvalid');
    expect(() => readDiscount('nhiều')).toThrow('quote.discountInvalid');
  });

  it('computes lines, percent and amount discounts without fractions of a đồng', () => {
    expect(lineTotal({ quantity: 2.5, unitPrice: 333_333 })).toBe(833_333);
    expect(quoteTotals([{ quantity: 3, unitPrice: 333_333 }], { kind: 'percent', value: 7.5 })).toEqual({ subtotal: 999_999, discountAmount: 75_000, total: 924_999 });
    expect(quoteTotals([{ quantity: 1, unitPrice: 100_000 }], { kind: 'amount', value: 500_000 })).toEqual({ subtotal: 100_000, discountAmount: 100_000, total: 0 });
  });
});

describe('the quote PDF', () => {
  it('parses back with the company, Vietnamese lines, discount and total, and is stored in GridFS', async () => {
    const admin = await makeStaff('admin', { name: 'Trần Thị Hồng' });
    await updateSettings(admin.actor, { companyName: 'Công ty TNHH Ánh Dương' });
    await setCompanyLogo(admin.actor, tinyPng());
    const customer = await createCustomer(admin.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    const camera = await createProduct(admin.actor, { name: 'Camera quan sát ngoài trời', unit: 'chiếc', price: '1,25tr' });
    const issued = await issueQuote(admin.actor, {
      customerId: customer._id,
      lines: [
        { productId: String(camera._id), quantity: 4 },
        { name: 'Lắp đặt và đi dây', unit: 'gói', quantity: 1, unitPrice: 1_500_000 },
      ],
      discount: { kind: 'percent', value: 10 },
    });
    expect(issued.quote).toMatchObject({ code: 'BG000001', status: 'draft', subtotal: 6_500_000, discountAmount: 650_000, total: 5_850_000 });

    // What is stored is what was rendered, read back through the access check.
    const { pdf } = await getQuotePdf(admin.actor, issued.quote._id);
    expect(pdf.equals(issued.pdf)).toBe(true);
    const text = await pdfText(pdf);
    expect(text).toContain('Công ty TNHH Ánh Dương');
    expect(text).toContain('BÁO GIÁ');
    expect(text).toContain('Số: BG000001');
    expect(text).toContain('Kính gửi: Nguyễn Văn Đức');
    expect(text).toMatch(/Camera quan sát ngoài trời chiếc 4 1\.250\.000 ₫ 5\.000\.000 ₫/);
    expect(text).toMatch(/Lắp đặt và đi dây gói 1 1\.500\.000 ₫ 1\.500\.000 ₫/);
    expect(text).toContain('Tạm tính: 6.500.000 ₫');
    expect(text).toContain('Chiết khấu 10%: −650.000 ₫');
    expect(text).toContain('TỔNG CỘNG: 5.850.000 ₫');
    expect(text).toContain('Người báo giá: Trần Thị Hồng');
    expect(await pdfImageCount(pdf)).toBe(1);
  });

  it('refuses a logo that is not an image, and a salesperson on another’s customer', async () => {
    const admin = await makeStaff('admin');
    const owner = await makeStaff('sales');
    const other = await makeStaff('sales');
    await expect(setCompanyLogo(admin.actor, Buffer.from('<svg onload=alert(1)>'))).rejects.toThrow('invalid');
    await expect(setCompanyLogo(owner.actor, tinyPng())).rejects.toThrow('forbidden');
    const customer = await createCustomer(owner.actor, { name: 'Lê Thu' });
    await expect(issueQuote(other.actor, { customerId: customer._id, lines: [{ name: 'X', quantity: 1, unitPrice: 1 }] })).rejects.toThrow('forbidden');
    const issued = await issueQuote(owner.actor, { customerId: customer._id, lines: [{ name: 'X', quantity: 1, unitPrice: 1 }] });
    await expect(getQuotePdf(other.actor, issued.quote._id)).rejects.toThrow('forbidden');
    expect(await Quote.countDocuments()).toBe(1);
  });

  it('a 10-line quote stays small (size recorded for the README)', async () => {
    const admin = await makeStaff('admin');
    const customer = await createCustomer(admin.actor, { name: 'Phạm Minh Tuấn' });
    const lines = Array.from({ length: 10 }, (_, i) => ({ name: `Dịch vụ bảo dưỡng hệ thống điều hoà số ${i + 1}`, unit: 'lần', quantity: i + 1, unitPrice: 350_000 * (i + 1) }));
    const issued = await issueQuote(admin.actor, { customerId: customer._id, lines, discount: { kind: 'amount', value: 1_000_000 } });
    const text = await pdfText(issued.pdf);
    expect(text).toContain('số 10');
    expect(text).toContain(`TỔNG CỘNG: ${new Intl.NumberFormat('vi-VN').format(issued.quote.total)} ₫`);
    // eslint-disable-next-line no-console
    console.log(`10-line quote PDF: ${issued.pdf.length} bytes`);
    expect(issued.pdf.length).toBeLessThan(100_000);
  });
});

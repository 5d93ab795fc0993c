import { foldVietnamese } from '../customers/searchText.js';
import { organizationNameKey } from '../organizations/orgName.js';
import { weightedPicker, type Random } from './random.js';

/** Where demo companies are registered: the province and the first two digits of its tax codes. */
const PROVINCES: { name: string; taxPrefix: string; streets: string[] }[] = [
  { name: 'Hà Nội', taxPrefix: '01', streets: ['Láng Hạ, Đống Đa', 'Trần Duy Hưng, Cầu Giấy', 'Nguyễn Trãi, Thanh Xuân', 'Phạm Văn Đồng, Bắc Từ Liêm'] },
  { name: 'TP. Hồ Chí Minh', taxPrefix: '03', streets: ['Nguyễn Thị Minh Khai, Quận 1', 'Điện Biên Phủ, Bình Thạnh', 'Cộng Hoà, Tân Bình', 'Nguyễn Văn Linh, Quận 7'] },
  { name: 'Hải Phòng', taxPrefix: '02', streets: ['Lạch Tray, Ngô Quyền', 'Lê Hồng Phong, Hải An'] },
  { name: 'Đà Nẵng', taxPrefix: '04', streets: ['Nguyễn Văn Linh, Hải Châu', 'Võ Nguyên Giáp, Sơn Trà'] },
  { name: 'Cần Thơ', taxPrefix: '18', streets: ['Trần Hưng Đạo, Ninh Kiều', '30 Tháng 4, Ninh Kiều'] },
  { name: 'Bình Dương', taxPrefix: '37', streets: ['Đại lộ Bình Dương, Thủ Dầu Một', 'Mỹ Phước - Tân Vạn, Dĩ An'] },
  { name: 'Đồng Nai', taxPrefix: '36', streets: ['Phạm Văn Thuận, Biên Hoà', 'Đồng Khởi, Biên Hoà'] },
  { name: 'Khánh Hoà', taxPrefix: '42', streets: ['Trần Phú, Nha Trang', 'Lê Thánh Tôn, Nha Trang'] },
];
/** Most demo companies are where most Vietnamese companies are. */
const pickProvince = weightedPicker(PROVINCES.map((p, i) => [p, [34, 38, 5, 6, 4, 5, 4, 4][i]] as const));

/** A trade as it appears in a company name, and the industry the team files it under. */
const TRADES: { word: string; industry: string }[] = [
  { word: 'Thương mại Dịch vụ', industry: 'Thương mại' },
  { word: 'Thương mại', industry: 'Thương mại' },
  { word: 'Xây dựng', industry: 'Xây dựng' },
  { word: 'Đầu tư Xây dựng', industry: 'Xây dựng' },
  { word: 'Công nghệ', industry: 'Công nghệ thông tin' },
  { word: 'Giải pháp Phần mềm', industry: 'Công nghệ thông tin' },
  { word: 'Thực phẩm', industry: 'Thực phẩm và đồ uống' },
  { word: 'Dược phẩm', industry: 'Y tế - Dược' },
  { word: 'Thiết bị Y tế', industry: 'Y tế - Dược' },
  { word: 'Vận tải và Logistics', industry: 'Vận tải - Logistics' },
  { word: 'Nội thất', industry: 'Sản xuất' },
  { word: 'Sản xuất Bao bì', industry: 'Sản xuất' },
  { word: 'Giáo dục', industry: 'Giáo dục - Đào tạo' },
  { word: 'Du lịch', industry: 'Du lịch - Khách sạn' },
  { word: 'Bất động sản', industry: 'Bất động sản' },
  { word: 'Nông sản', industry: 'Nông nghiệp' },
];
const BRANDS = [
  'Minh Phát', 'Hoàng Long', 'An Khang', 'Thành Đạt', 'Phú Thịnh', 'Việt Tiến', 'Sao Mai', 'Đại Dương', 'Tân Phong', 'Hưng Thịnh',
  'Bình Minh', 'Kim Long', 'Trường Sơn', 'Hồng Hà', 'Nam Việt', 'Thiên Phúc', 'Ánh Dương', 'Phương Nam', 'Đông Á', 'Gia Huy',
  'Quang Minh', 'Thịnh Vượng', 'Hải Âu', 'Lộc Phát', 'Vạn Xuân', 'Tín Nghĩa', 'Hoà Bình', 'Thăng Long', 'Sông Hồng', 'Mekong',
];
/** Legal forms, as written at the start of a Vietnamese company name, and how often each occurs. */
const pickLegalForm = weightedPicker([
  ['Công ty TNHH', 55],
  ['Công ty Cổ phần', 35],
  ['Công ty TNHH MTV', 10],
]);

export interface DemoCompany {
  name: string;
  province: string;
  address: string;
  industry: string;
  searchText: string;
  /** The brand without diacritics, the start of the company's domain. */
  brandSlug: string;
  taxPrefix: string;
}

/** The weights of mã số thuế's check digit over its first nine digits (the tax office's rule). */
const TAX_CODE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The tenth digit of a tax code whose first nine are given, or null when no valid code starts so. */
export function taxCodeCheckDigit(firstNine: string): number | null {
  const sum = TAX_CODE_WEIGHTS.reduce((acc, w, i) => acc + w * Number(firstNine[i]), 0);
  const digit = 10 - (sum % 11);
  return digit === 10 ? null : digit;
}

/**
 * The tax code of the seq-th demo company: the province's two digits, seven digits that differ for
 * every seq below ten million, then the check digit. When the province's digits give no valid check
 * digit, another province's are used: the seven middle digits alone keep codes unique.
 */
export function demoTaxCode(seq: number, taxPrefix = '01'): string {
  const middle = String((seq * 7_919) % 10_000_000).padStart(7, '0');
  const prefixes = [taxPrefix, ...PROVINCES.map((p) => p.taxPrefix)];
  for (const prefix of prefixes) {
    const digit = taxCodeCheckDigit(prefix + middle);
    if (digit !== null) return `${prefix}${middle}${digit}`;
  }
  // Two prefixes 1 apart in their second digit always differ in the check sum, so one above works.
  throw new Error(`no valid tax code for ${seq}`);
}

/** A demo company: a name with its legal form, an industry, a province and an address. */
export function demoCompany(rnd: Random): DemoCompany {
  const province = pickProvince(rnd);
  const trade = rnd.pick(TRADES);
  const brand = rnd.pick(BRANDS);
  const name = `${pickLegalForm(rnd)} ${trade.word} ${brand}`;
  return {
    name,
    province: province.name,
    address: `${1 + rnd.int(300)} ${rnd.pick(province.streets)}, ${province.name}`,
    industry: trade.industry,
    searchText: organizationNameKey(name),
    brandSlug: foldVietnamese(brand).replace(/[^a-z0-9]/g, ''),
    taxPrefix: province.taxPrefix,
  };
}

/**
 * What makes the seq-th organization unique: its tax code and its domain (contacts are matched to
 * their company by email domain, so no two demo companies share one). Domains sit under the
 * reserved example.com/example.net (RFC 2606), so a demo campaign's email never reaches a real company.
 */
export function demoCompanyIdentity(company: DemoCompany, seq: number): { taxCode: string; domain: string; website: string } {
  const domain = `${company.brandSlug}${seq}.${seq % 5 < 3 ? 'example.com' : 'example.net'}`;
  return { taxCode: demoTaxCode(seq, company.taxPrefix), domain, website: `https://www.${domain}` };
}

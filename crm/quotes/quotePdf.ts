import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import { formatVnd } from '../shared/money.js';
import { t, type Lang } from '../../i18n/index.js';

export interface QuotePdfInput {
  code: string;
  createdAt: Date;
  customer: { name: string; phone?: string };
  opportunityName?: string;
  lines: { name: string; unit?: string | null; quantity: number; unitPrice: number; total: number }[];
  subtotal: number;
  discountKind?: 'percent' | 'amount' | null;
  discountValue?: number | null;
  discountAmount: number;
  total: number;
  staffName?: string;
  company: { name: string; logo?: Buffer };
  lang: Lang;
  timezone: string;
}

// DejaVu Sans draws every Vietnamese letter and ₫; pdfkit embeds only the glyphs used.
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = join(fontDir, 'DejaVuSans.ttf');
const BOLD = join(fontDir, 'DejaVuSans-Bold.ttf');

const MARGIN = 50;
/** Column x positions and widths on an A4 page (595 pt wide). */
const COLS = { no: [50, 30], name: [80, 190], unit: [270, 50], quantity: [320, 45], price: [365, 85], total: [450, 95] } as const;

function quantityText(q: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 3 }).format(q);
}

/** The quote as an A4 PDF: company header, customer, a table of lines, discount and total. */
export async function renderQuotePdf(q: QuotePdfInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${t(q.lang, 'quote.pdf.title')} ${q.code}`, Author: q.company.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', REGULAR);
  doc.registerFont('bold', BOLD);
  const money = (n: number) => formatVnd(n, q.lang);
  const { lang } = q;

  let headerX = MARGIN;
  if (q.company.logo) {
    try {
      doc.image(q.company.logo, MARGIN, MARGIN, { fit: [80, 50] });
      headerX = MARGIN + 90;
    } catch {
      // A logo pdfkit cannot read is left out rather than losing the quote.
    }
  }
  doc.font('bold').fontSize(16).text(q.company.name, headerX, MARGIN, { width: 545 - headerX });
  doc.font('bold').fontSize(20).text(t(lang, 'quote.pdf.title'), MARGIN, MARGIN + 60, { align: 'center', width: 495 });
  const date = DateTime.fromJSDate(q.createdAt, { zone: q.timezone }).toFormat('dd/MM/yyyy');
  doc.font('body').fontSize(10).text(`${t(lang, 'quote.pdf.code', { code: q.code })}    ${t(lang, 'quote.pdf.date', { date })}`, { align: 'center', width: 495 });
  doc.moveDown();
  doc.fontSize(11).text(t(lang, 'quote.pdf.customer', { name: q.customer.name }), MARGIN);
  if (q.customer.phone) doc.text(t(lang, 'quote.pdf.phone', { phone: q.customer.phone }));
  if (q.opportunityName) doc.text(t(lang, 'quote.pdf.opportunity', { name: q.opportunityName }));
  doc.moveDown();

  const row = (cells: Record<keyof typeof COLS, string>, font: 'body' | 'bold') => {
    doc.font(font).fontSize(9);
    const heights = (Object.keys(COLS) as (keyof typeof COLS)[]).map((k) => doc.heightOfString(cells[k], { width: COLS[k][1] - 4 }));
    const height = Math.max(...heights) + 6;
    if (doc.y + height > doc.page.height - MARGIN - 80) doc.addPage();
    const y = doc.y;
    for (const k of Object.keys(COLS) as (keyof typeof COLS)[]) {
      const [x, w] = COLS[k];
      const align = k === 'name' || k === 'unit' ? 'left' : 'right';
      doc.text(cells[k], x + 2, y + 3, { width: w - 4, align });
    }
    doc.moveTo(MARGIN, y + height).lineTo(545, y + height).lineWidth(0.5).stroke('#999999');
    doc.y = y + height;
  };
  row(
    {
      no: t(lang, 'quote.pdf.col.no'),
      name: t(lang, 'quote.pdf.col.name'),
      unit: t(lang, 'quote.pdf.col.unit'),
      quantity: t(lang, 'quote.pdf.col.quantity'),
      price: t(lang, 'quote.pdf.col.price'),
      total: t(lang, 'quote.pdf.col.total'),
    },
    'bold',
  );
  q.lines.forEach((l, i) =>
    row({ no: String(i + 1), name: l.name, unit: l.unit ?? '', quantity: quantityText(l.quantity, lang), price: money(l.unitPrice), total: money(l.total) }, 'body'),
  );

  doc.moveDown();
  const sum = (label: string, font: 'body' | 'bold' = 'body') => doc.font(font).fontSize(font === 'bold' ? 12 : 10).text(label, 300, doc.y, { width: 245, align: 'right' });
  sum(t(lang, 'quote.subtotal', { amount: money(q.subtotal) }));
  if (q.discountAmount > 0) {
    const percent = q.discountKind === 'percent' ? ` ${quantityText(q.discountValue ?? 0, lang)}%` : '';
    sum(t(lang, 'quote.discount', { percent, amount: money(q.discountAmount) }));
  }
  sum(t(lang, 'quote.total', { amount: money(q.total) }), 'bold');
  doc.moveDown(2);
  doc.font('body').fontSize(9);
  if (q.staffName) doc.text(t(lang, 'quote.pdf.staff', { name: q.staffName }), MARGIN);
  doc.text(t(lang, 'quote.pdf.footer'), MARGIN);
  doc.end();
  return done;
}

import zlib from 'node:zlib';

/**
 * Real files of the types chot keeps, made in the test (no fixtures to go stale): a PNG a browser
 * can draw, a JPEG header, a minimal DOCX-shaped zip, and hostile look-alikes.
 */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A width×height PNG in stripes of the given colours; `noise` bytes of random pixels make it big. */
export function makePng(width: number, height: number, colors: [number, number, number][] = [[220, 60, 40], [40, 120, 220]], noise = false): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = noise ? [Math.random() * 256, Math.random() * 256, Math.random() * 256] : colors[Math.floor((x / width) * colors.length)]!;
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: noise ? 0 : 6 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A file of exactly `size` bytes that sniffs as a JPEG. */
export function jpegOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  bytes[0] = 0xff;
  bytes[1] = 0xd8;
  bytes[2] = 0xff;
  return bytes;
}

export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A zip's first local header and the part names an Office file lists (enough for the sniffer). */
export function officeLikeZip(mainPart: string): Buffer {
  return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(`[Content_Types].xml`), Buffer.alloc(40), Buffer.from(mainPart), Buffer.alloc(40)]);
}

/** A Windows executable ("MZ") and an HTML page, the two things a renamed .jpg must not smuggle in. */
export const EXE_BYTES = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120, 0x41), Buffer.from('This program cannot be run in DOS mode.')]);
export const HTML_BYTES = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

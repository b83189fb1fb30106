import { crc32, deflateRawSync } from "node:zlib";
import { writeZip } from "~/lib/zip-write.server";

/** A zip of one deflated entry, with the sizes its directory declares (which may lie). */
export function zipOf(name: string, content: Buffer, declared = content.length): Uint8Array {
  return new Uint8Array(writeZip([{ name: Buffer.from(name), data: deflateRawSync(content), method: 8, flags: 0, crc: 0, size: declared }]));
}

/** A zip of several entries as Windows writes it: deflated, names in GBK (no UTF-8 flag) unless told `utf8`. */
export function zipEntries(entries: Array<{ name: string | Uint8Array; data: Uint8Array | string }>, { utf8 = false } = {}): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    writeZip(
      entries.map((entry) => {
        const content = Buffer.from(entry.data);
        const name = typeof entry.name === "string" ? (utf8 ? Buffer.from(entry.name) : gbk(entry.name)) : entry.name;
        return { name, data: deflateRawSync(content), method: 8, flags: utf8 ? 0x800 : 0, crc: crc32(content), size: content.length };
      }),
    ),
  );
}

/**
 * The same zip made to look like zip64: its end record's counts and offset set to the 0xFFFF…
 * markers and a zip64 locator before it, as a writer (or an attacker) may do.
 */
export function asZip64(zip: Uint8Array): Uint8Array<ArrayBuffer> {
  const buf = Buffer.from(zip);
  const eocd = buf.length - 22;
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  const end = Buffer.from(buf.subarray(eocd));
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 16);
  return new Uint8Array(Buffer.concat([buf.subarray(0, eocd), locator, end]));
}

let gbkTable: Map<string, number[]> | null = null;

/** Text as Chinese Windows saves it (GBK), built from the decoder Node has: every double-byte code, decoded once. */
export function gbk(text: string): Uint8Array<ArrayBuffer> {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder("gbk");
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== "\ufffd" && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
export const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];

/** An EXIF block as phones write it: orientation 6 (rotated), a GPS pointer and a camera make. */
function phoneExif(): number[] {
  // Little-endian TIFF, IFD0 with three entries: Make (ASCII, in place), Orientation = 6, GPS IFD pointer.
  const tiff = [
    ...ascii("II"),
    0x2a,
    0,
    8,
    0,
    0,
    0,
    3,
    0,
    0x0f,
    0x01,
    2,
    0,
    4,
    0,
    0,
    0,
    ...ascii("HUA"),
    0,
    0x12,
    0x01,
    3,
    0,
    1,
    0,
    0,
    0,
    6,
    0,
    0,
    0,
    0x25,
    0x88,
    4,
    0,
    1,
    0,
    0,
    0,
    50,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    // the "GPS" data a real file would point at: 台州 28.65N 121.42E, as text for the test to look for
    ...ascii("GPS:28.6558N,121.4208E"),
  ];
  return segment(0xe1, [...ascii("Exif"), 0, 0, ...tiff]);
}

/** A phone's JPEG: JFIF, EXIF with orientation 6, a camera make and GPS text, IPTC, a comment, and the picture. */
export const phoneJpeg = () =>
  Uint8Array.from([
    0xff,
    0xd8,
    ...segment(0xe0, [...ascii("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...phoneExif(),
    ...segment(0xed, [...ascii("Photoshop 3.0"), 0, ...ascii("IPTC:王建国 台州市椒江区")]),
    ...segment(0xfe, ascii("shot at 28.6558,121.4208")),
    ...segment(0xdb, Array(65).fill(1)),
    0xff,
    0xda,
    0,
    8,
    1,
    1,
    0,
    0,
    0x3f,
    0,
    0x12,
    0x34,
    0x56,
    0xff,
    0xd9,
  ]);

/** The start of a PDF: what the upload checks recognise one by, all a test's evidence or receipt needs. */
export const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj\n");

/** The start of a 1×1 PNG (signature and header chunk): enough for the checks to take it as an image. */
export const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
]);

import { deflateRawSync } from "node:zlib";

/** A zip of one deflated entry, with the sizes its directory declares (which may lie). */
export function zipOf(name: string, content: Buffer, declared = content.length): Uint8Array {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const directoryAt = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(directoryAt, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, data, central, nameBytes, end]));
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

import { describe, expect, it } from "vitest";
import { checkEvidence } from "~/lib/files";
import { withoutMetadata } from "~/lib/image-metadata";

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
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

const jpeg = () =>
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

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("photos lose their metadata before they are stored", () => {
  it("cuts EXIF (GPS, camera), IPTC and comments from a JPEG, keeps the picture and its orientation", () => {
    const original = jpeg();
    expect(text(original)).toContain("GPS:28.6558N");
    const stripped = withoutMetadata(original, "image/jpeg");
    expect(text(stripped)).not.toContain("GPS");
    expect(text(stripped)).not.toContain("HUA");
    expect(text(stripped)).not.toContain("28.6558");
    expect(text(stripped)).not.toContain("IPTC");
    // JFIF, the quantisation table and the scan are untouched, byte for byte.
    expect(text(stripped)).toContain("JFIF");
    expect(Buffer.from(stripped.subarray(stripped.length - 15)).equals(Buffer.from(original.subarray(original.length - 15)))).toBe(true);
    // A minimal EXIF keeps the phone's orientation (6: rotated 90°) so the photo is not shown on its side.
    const exif = text(stripped).indexOf("Exif\0\0MM");
    expect(exif).toBeGreaterThan(0);
    expect(stripped[exif + 25]).toBe(6);
  });

  it("cuts text, EXIF and time chunks from a PNG", () => {
    const chunk = (type: string, data: number[]) => [0, 0, 0, data.length, ...ascii(type), ...data, 0, 0, 0, 0];
    const png = Uint8Array.from([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...chunk("IHDR", Array(13).fill(0)),
      ...chunk("tEXt", ascii("GPS\0台州")),
      ...chunk("eXIf", ascii("MM\0*")),
      ...chunk("IDAT", [1, 2, 3]),
      ...chunk("IEND", []),
    ]);
    const stripped = withoutMetadata(png, "image/png");
    expect(text(stripped)).not.toContain("tEXt");
    expect(text(stripped)).not.toContain("eXIf");
    expect(text(stripped)).toContain("IDAT");
    expect(text(stripped)).toContain("IEND");
  });

  it("is what an upload keeps", () => {
    const check = checkEvidence("证书.jpg", jpeg());
    if (!check.ok) throw new Error(check.message);
    expect(text(check.bytes)).not.toContain("GPS");
  });
});

import { describe, expect, it } from "vitest";
import { checkEvidence } from "~/lib/files";
import { withoutMetadata } from "~/lib/image-metadata";
import { ascii, phoneJpeg as jpeg } from "../../test/files";

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

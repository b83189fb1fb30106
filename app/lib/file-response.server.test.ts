import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { fileResponse } from "~/lib/file-response.server";

/** A PNG of a kilobyte whose header declares 100000×100000 pixels: a browser asked to draw it tries. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const chunk = (kind: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(kind, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const pixels = zlib.deflateSync(Buffer.alloc(1024));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", pixels),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

describe("a stored file's thumbnail", () => {
  it("is a grey square, never the file itself, for a picture that declares more pixels than it could hold", async () => {
    const bomb = pngDeclaring(100_000, 100_000);
    const request = new Request("http://localhost/evidence/1?size=thumb");
    const response = await fileResponse({ filename: "证书.png", content_type: "image/png", data: bomb }, request);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    const body = new Uint8Array(await response.arrayBuffer());
    expect([body[0], body[1]]).toEqual([0xff, 0xd8]);
    expect(Buffer.from(body).includes(Buffer.from("IHDR"))).toBe(false);
    // Asked for as it is (the link to the original), the file is what was stored.
    const original = await fileResponse({ filename: "证书.png", content_type: "image/png", data: bomb }, new Request("http://localhost/evidence/1"));
    expect(new Uint8Array(await original.arrayBuffer())).toEqual(bomb);
  });
});

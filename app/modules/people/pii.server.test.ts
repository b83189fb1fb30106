import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decrypt, decryptLarge, encrypt, encryptLarge, lookupHash, resetKeyCache } from "~/modules/people/pii.server";

const saved = { key: process.env.APP_ENCRYPTION_KEY, dataDir: process.env.DATA_DIR, url: process.env.DATABASE_URL, env: process.env.NODE_ENV };

afterEach(() => {
  process.env.APP_ENCRYPTION_KEY = saved.key;
  process.env.DATA_DIR = saved.dataDir;
  if (saved.url === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved.url;
  process.env.NODE_ENV = saved.env;
  resetKeyCache();
});

describe("personal data encryption", () => {
  it("round-trips, with a fresh IV each time and no plaintext in the stored text", () => {
    const a = encrypt("33108119850601123X");
    const b = encrypt("33108119850601123X");
    expect(a).not.toBe(b);
    expect(a).not.toContain("33108119850601123X");
    expect(a).toMatch(/^v1:/);
    expect(decrypt(a)).toBe("33108119850601123X");
    expect(decrypt(b)).toBe("33108119850601123X");
  });

  it("detects tampering through the GCM tag", () => {
    const stored = encrypt("13957612345");
    const [v, iv, tag, body] = stored.split(":");
    const flipped = Buffer.from(body, "base64");
    flipped[0] ^= 1;
    expect(() => decrypt([v, iv, tag, flipped.toString("base64")].join(":"))).toThrow();
  });

  it("seals a large text compressed, reads it and what was sealed before it, and refuses it tampered with (issue 37)", async () => {
    // An import's stored rows: ten thousand lines of much the same JSON.
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({ line: i + 4, name: `王建${i}`, maskedId: "3310**********123X", errors: [], form: { sex: "M" } }),
    );
    const plain = `{"rows":[\n${rows.join(",\n")}\n]}`;
    const sealed = await encryptLarge(plain);
    expect(sealed).toMatch(/^z1:/);
    expect(sealed).not.toContain("王建");
    // What the database stores and the statement carries is a small part of the text: compressed before it is sealed.
    expect(sealed.length).toBeLessThan(Buffer.byteLength(plain) / 5);
    expect(await decryptLarge(sealed)).toBe(plain);
    expect(await decryptLarge(encrypt(plain))).toBe(plain);
    const [v, iv, tag, body] = sealed.split(":");
    const flipped = Buffer.from(body, "base64");
    flipped[0] ^= 1;
    await expect(decryptLarge([v, iv, tag, flipped.toString("base64")].join(":"))).rejects.toThrow();
  });

  it("cannot be read with another key", () => {
    const stored = encrypt("13957612345");
    process.env.APP_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
    resetKeyCache();
    expect(() => decrypt(stored)).toThrow();
  });

  it("gives a stable, keyed lookup hash", () => {
    const first = lookupHash("13957612345");
    expect(lookupHash("13957612345")).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    process.env.APP_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString("hex");
    resetKeyCache();
    expect(lookupHash("13957612345")).not.toBe(first);
  });

  it("rejects a key of the wrong size", () => {
    process.env.APP_ENCRYPTION_KEY = "too-short";
    resetKeyCache();
    expect(() => encrypt("x")).toThrow(/32 bytes/);
  });

  it("generates a development key once into the data folder and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jx-key-"));
    delete process.env.APP_ENCRYPTION_KEY;
    delete process.env.DATABASE_URL;
    process.env.DATA_DIR = dir;
    resetKeyCache();
    const stored = encrypt("secret");
    const keyFile = path.join(dir, "encryption.key");
    const key = fs.readFileSync(keyFile, "utf8");
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    resetKeyCache();
    expect(decrypt(stored)).toBe("secret");
    expect(fs.readFileSync(keyFile, "utf8")).toBe(key);
  });

  it("refuses to run on PostgreSQL in production without a configured key", () => {
    delete process.env.APP_ENCRYPTION_KEY;
    process.env.DATABASE_URL = "postgres://example/db";
    process.env.NODE_ENV = "production";
    resetKeyCache();
    expect(() => encrypt("x")).toThrow(/APP_ENCRYPTION_KEY must be set/);
  });
});

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { defaultDataDir } from ".";
import { env } from "./env";

/**
 * The one secret operators hold (APP_ENCRYPTION_KEY), and the keys derived from it for each use:
 * the personal data's encryption and lookup hashes (app/modules/people/pii.server), the vote's
 * hashes, and the backups' content hash. On the lowest floor so the backup programs read it too.
 */

function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error("APP_ENCRYPTION_KEY must be 32 bytes, given as 64 hex digits or base64");
  }
  return key;
}

function loadMasterKey(): Buffer {
  const { encryptionKey, databaseUrl, production } = env();
  if (encryptionKey) return parseMasterKey(encryptionKey);
  if (databaseUrl && production) {
    throw new Error(
      "APP_ENCRYPTION_KEY must be set when running on PostgreSQL in production (32 bytes, e.g. `openssl rand -base64 32`); keep it safe, the personal data cannot be read without it",
    );
  }
  const file = path.join(defaultDataDir(), "encryption.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // wx: two processes starting at once must not each write a different key.
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return parseMasterKey(fs.readFileSync(file, "utf8"));
}

/** A 32-byte key of its own for one use, derived from the master key (HKDF-SHA256). */
export function deriveKey(label: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", loadMasterKey(), Buffer.alloc(0), `jiangxin ${label}`, 32));
}

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { defaultDataDir } from "~db";
import { env } from "~db/env";

/**
 * Personal data (resident ID and phone numbers) is encrypted at rest with AES-256-GCM and made
 * findable through an HMAC of the normalised value. Both keys are derived from one master key
 * (APP_ENCRYPTION_KEY), so operators hold a single secret.
 */

const CIPHER_VERSION = "v1";

let cached: { enc: Buffer; mac: Buffer; vote: Buffer; challenge: Buffer; checkin: Buffer } | undefined;

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

function keys() {
  if (!cached) {
    const master = loadMasterKey();
    const derive = (label: string) => Buffer.from(crypto.hkdfSync("sha256", master, Buffer.alloc(0), `jiangxin ${label}`, 32));
    cached = {
      enc: derive("pii-encryption"),
      mac: derive("pii-lookup-hmac"),
      vote: derive("vote-voter-hmac"),
      challenge: derive("vote-challenge-hmac"),
      checkin: derive("checkin-qr-hmac"),
    };
  }
  return cached;
}

/** Fails early, with the reason, when no usable key is configured. */
export function assertEncryptionKey(): void {
  keys();
}

/** For tests that change APP_ENCRYPTION_KEY. */
export function resetKeyCache(): void {
  cached = undefined;
}

export function encrypt(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keys().enc, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [CIPHER_VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

export function decrypt(stored: string): string {
  const [version, iv, tag, body] = stored.split(":");
  if (version !== CIPHER_VERSION || !iv || !tag || body === undefined) {
    throw new Error("Unrecognised ciphertext format");
  }
  const decipher = crypto.createDecipheriv("aes-256-gcm", keys().enc, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}

export function lookupHash(normalised: string): string {
  return crypto.createHmac("sha256", keys().mac).update(normalised).digest("hex");
}

/**
 * A voter's keyed hash, per campaign: the same number hashes differently in each campaign and
 * unlike any person's phone lookup, so the ballots cannot be joined to the people records.
 */
export function voterHash(campaignId: number, normalised: string): string {
  return crypto.createHmac("sha256", keys().vote).update(`${campaignId}:${normalised}`).digest("hex");
}

/** The secret the vote's proof-of-work challenges are signed with. */
export function challengeSecret(): string {
  return keys().challenge.toString("hex");
}

/** The key the events' rotating check-in QR codes are signed with. */
export function checkinSecret(): Buffer {
  return keys().checkin;
}

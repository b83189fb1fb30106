import crypto from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { deriveKey } from "~db/secret";

/**
 * Personal data (resident ID and phone numbers) is encrypted at rest with AES-256-GCM and made
 * findable through an HMAC of the normalised value. Both keys are derived from one master key
 * (APP_ENCRYPTION_KEY), so operators hold a single secret.
 */

const CIPHER_VERSION = "v1";

let cached: { enc: Buffer; mac: Buffer; vote: Buffer; challenge: Buffer; checkin: Buffer } | undefined;

function keys() {
  if (!cached) {
    cached = {
      enc: deriveKey("pii-encryption"),
      mac: deriveKey("pii-lookup-hmac"),
      vote: deriveKey("vote-voter-hmac"),
      challenge: deriveKey("vote-challenge-hmac"),
      checkin: deriveKey("checkin-qr-hmac"),
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

const LARGE_VERSION = "z1";
const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * A large text (an import's stored rows and check: ten megabytes of JSON at 10,000 rows) sealed compressed: the
 * compression runs in libuv's pool, off the server's thread, and what is left to encrypt, encode, send to the
 * database and store is a tenth of it — sealed whole, the encryption and the statement's encoding held other
 * requests on the server's thread for a tenth of a second each.
 */
export async function encryptLarge(plain: string): Promise<string> {
  const packed = await gzip(Buffer.from(plain, "utf8"));
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keys().enc, iv);
  const body = Buffer.concat([cipher.update(packed), cipher.final()]);
  return [LARGE_VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

/** Reads what `encryptLarge` sealed, and what `encrypt` sealed before it (batches stored earlier). */
export async function decryptLarge(stored: string): Promise<string> {
  const [version, iv, tag, body] = stored.split(":");
  if (version !== LARGE_VERSION) return decrypt(stored);
  if (!iv || !tag || body === undefined) throw new Error("Unrecognised ciphertext format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", keys().enc, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  const packed = Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]);
  return (await gunzip(packed)).toString("utf8");
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

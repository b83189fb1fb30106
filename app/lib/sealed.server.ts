import crypto from "node:crypto";
import { deriveKey } from "~db/secret";

/**
 * A small secret sealed at rest (AES-256-GCM) with a key of its own derived from APP_ENCRYPTION_KEY — the same master
 * key and cipher as the personal data (modules/people/pii.server), kept here so the floors below the modules (a city
 * officer's one-time-code secret, in app/auth) can seal without importing a module. `label` names the use; each use
 * gets its own key, so one sealed value cannot be opened as another's.
 */
export function sealer(label: string) {
  let key: { label: string; bytes: Buffer } | undefined;
  const keyOf = () => (key ??= { label, bytes: deriveKey(label) }).bytes;
  return {
    seal(plain: string): string {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv("aes-256-gcm", keyOf(), iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["s1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
    },
    open(stored: string): string {
      const [version, iv, tag, body] = stored.split(":");
      if (version !== "s1" || !iv || !tag || body === undefined) throw new Error("Unrecognised sealed value");
      const decipher = crypto.createDecipheriv("aes-256-gcm", keyOf(), Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    },
  };
}

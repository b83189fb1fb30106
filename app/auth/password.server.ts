import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/**
 * What an account without a password keeps in its place (an apprentice signs in with a phone
 * code): no argon2 hash, so nothing typed ever verifies against it.
 */
export const NO_PASSWORD = "!no-password";

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  // The same time as a real check, so a password guess does not tell which accounts have none.
  if (storedHash === NO_PASSWORD) return burnPasswordCheck(password).then(() => false);
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time on unknown usernames, so response times do not reveal which accounts exist. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("jiangxin-dummy-password");
  await verifyPassword(await dummyHash, password);
}

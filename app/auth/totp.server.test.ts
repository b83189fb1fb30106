import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchingStep, newTotpSecret, otpauthUri, stepAt } from "~/auth/totp.server";

// RFC 6238 Appendix B, SHA-1: the seed is the ASCII of "12345678901234567890", 8 digits, X = 30 s, T0 = 0.
const SEED = Buffer.from("12345678901234567890", "ascii");
const VECTORS: Array<[seconds: number, code: string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("one-time codes (RFC 6238)", () => {
  it("gives the RFC's test vectors, and their last six digits as the six-digit code", () => {
    for (const [seconds, code] of VECTORS) {
      expect(hotp(SEED, stepAt(new Date(seconds * 1000)), 8)).toBe(code);
      expect(hotp(SEED, stepAt(new Date(seconds * 1000)))).toBe(code.slice(2));
    }
  });

  it("reads base32 as authenticator apps write it (RFC 4648)", () => {
    expect(base32Encode(SEED)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).toEqual(SEED);
    expect(base32Decode(newTotpSecret())).toHaveLength(20);
  });

  it("takes this step's code and a step either side, never an older one or one accepted before", () => {
    const secret = base32Encode(SEED);
    const at = new Date(1111111111 * 1000);
    const step = stepAt(at);
    const codeOf = (s: number) => hotp(SEED, s);
    expect(matchingStep(secret, codeOf(step), at, null)).toBe(step);
    expect(matchingStep(secret, codeOf(step - 1), at, null)).toBe(step - 1);
    expect(matchingStep(secret, codeOf(step + 1), at, null)).toBe(step + 1);
    expect(matchingStep(secret, codeOf(step - 2), at, null)).toBeNull();
    expect(matchingStep(secret, codeOf(step + 2), at, null)).toBeNull();
    // Once accepted, the same code (and any older) is refused.
    expect(matchingStep(secret, codeOf(step), at, step)).toBeNull();
    expect(matchingStep(secret, codeOf(step - 1), at, step)).toBeNull();
    expect(matchingStep(secret, codeOf(step + 1), at, step)).toBe(step + 1);
    for (const typed of ["", "12345", "1234567", "12345a", "１２３４５６"]) expect(matchingStep(secret, typed, at, null)).toBeNull();
  });

  it("names the platform and the account in the URI an app scans", () => {
    expect(otpauthUri("GEZDGNBV", "admin")).toBe(
      "otpauth://totp/%E5%8C%A0%E5%BF%83:admin?secret=GEZDGNBV&issuer=%E5%8C%A0%E5%BF%83&algorithm=SHA1&digits=6&period=30",
    );
  });
});

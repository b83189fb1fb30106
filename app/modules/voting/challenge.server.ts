import { createChallenge, verifySolution, type Challenge, type Payload } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { sql } from "kysely";
import { challengeSecret } from "~/modules/people/pii.server";
import { refuse, type Result } from "~/lib/result";

/**
 * ALTCHA, self-hosted: a proof-of-work the voter's phone solves before a code is sent. It costs a
 * phone a second and a stuffing script thousands of CPU-seconds; the challenge is signed, expires,
 * and is spent on first use (its nonce in `vote_challenge`).
 */

const ALGORITHM = "PBKDF2/SHA-256";
/** PBKDF2 iterations per attempt: about a second on a mid-range phone with the widget's workers. */
const COST = 1_000;
const VALID_MS = 10 * 60_000;

/** A challenge for one campaign's vote or notice: it is signed with the campaign in it and good only there. */
export async function newChallenge(campaignId: number, now = new Date()): Promise<Challenge> {
  return createChallenge({
    data: { campaign: campaignId },
    algorithm: ALGORITHM,
    cost: COST,
    deriveKey,
    // Two hex digits of prefix: 256 attempts on average.
    keyPrefix: "00",
    expiresAt: new Date(now.getTime() + VALID_MS),
    hmacSignatureSecret: challengeSecret(),
  });
}

/**
 * Verifies the widget's payload (base64 JSON of challenge and solution) for this campaign: its nonce,
 * to be spent (spendChallenge) in the code request's transaction.
 */
export async function checkChallenge(encoded: string, campaignId: number): Promise<Result<{ nonce: string }>> {
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as Payload;
  } catch {
    return refuse("人机验证无效，请重试");
  }
  // Only a payload of our own kind: a "server" payload (Sentinel's) is not something we issue.
  if (!payload || typeof payload !== "object" || !payload.challenge?.parameters || !payload.solution || "verificationData" in payload) {
    return refuse("人机验证无效，请重试");
  }
  // Solved for another campaign (a stock of solutions made for an earlier vote): not this one's.
  if (payload.challenge.parameters.data?.campaign !== campaignId) return refuse("人机验证无效，请刷新页面后重试");
  if (payload.challenge.parameters.algorithm !== ALGORITHM || payload.challenge.parameters.cost !== COST) {
    return refuse("人机验证无效，请重试");
  }
  // A malformed challenge or solution makes the library throw: as unverified as a wrong one.
  const result = await verifySolution({ challenge: payload.challenge, solution: payload.solution, deriveKey, hmacSignatureSecret: challengeSecret() }).catch(
    () => null,
  );
  if (result?.expired) return refuse("人机验证已过期，请重新验证");
  if (!result?.verified) return refuse("人机验证未通过，请重试");
  return { ok: true, nonce: payload.challenge.parameters.nonce };
}

/**
 * Spends a checked challenge: a data-modifying CTE returning its nonce if this is its first use
 * (nothing if it was spent before), so the spending rides with the statement that reads the limits.
 */
export const spendChallenge = (nonce: string) =>
  sql<{ id: string }>`insert into vote_challenge (id) values (${nonce}) on conflict (id) do nothing returning id`;

export const CHALLENGE_SPENT = "该人机验证已使用过，请重新验证";

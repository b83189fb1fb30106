import { nominationCode } from "~/modules/campaigns/stages";
import { compactText, findHeaderRow, readSpreadsheet } from "~/lib/spreadsheet.server";
import { type DB } from "~db";

export interface VoteCandidate {
  id: number;
  seq: number;
  name: string;
}

/**
 * Reads the voting platform's export: one row per candidate with their number (编号, e.g. 2-007)
 * or name, and the vote count. Every problem is reported; nothing is returned unless all rows are good.
 */
export async function parseVoteFile(
  bytes: Uint8Array,
  campaignNumber: number,
  candidates: VoteCandidate[],
): Promise<{ ok: true; votes: Array<{ nominationId: number; votes: number }> } | { ok: false; errors: string[] }> {
  const rows = await readSpreadsheet(bytes);
  const header = findHeaderRow(
    rows,
    { code: ["编号", "候选人编号", "序号"], name: ["姓名", "候选人", "候选人姓名"], votes: ["票数", "得票数", "得票", "投票数"] },
    ["votes"],
  );
  if (!header || (header.columns.code === undefined && header.columns.name === undefined)) {
    return { ok: false, errors: ["找不到表头：需要“编号”或“姓名”列，以及“票数”列"] };
  }
  const { columns, dataStart } = header;
  const byCode = new Map(candidates.map((c) => [nominationCode(campaignNumber, c.seq), c]));
  const errors: string[] = [];
  const votes = new Map<number, number>();
  for (let r = dataStart; r < rows.length; r++) {
    const code = columns.code === undefined ? "" : compactText(rows[r][columns.code] ?? null);
    const name = columns.name === undefined ? "" : compactText(rows[r][columns.name] ?? null);
    const raw = compactText(rows[r][columns.votes!] ?? null).replace(/,/g, "");
    if (!code && !name && !raw) continue;
    const line = r + 1;
    let candidate = code ? byCode.get(code) : undefined;
    if (!candidate && name) {
      const matches = candidates.filter((c) => c.name === name);
      if (matches.length > 1) {
        errors.push(`第 ${line} 行：候选对象中有 ${matches.length} 人叫“${name}”，请用编号区分`);
        continue;
      }
      candidate = matches[0];
    }
    if (!candidate) {
      errors.push(`第 ${line} 行：“${code || name}”不是本届的候选对象`);
      continue;
    }
    if (!/^\d{1,9}$/.test(raw)) {
      errors.push(`第 ${line} 行：票数“${raw}”不是有效的非负整数`);
      continue;
    }
    if (votes.has(candidate.id)) {
      errors.push(`第 ${line} 行：${candidate.name} 重复出现`);
      continue;
    }
    votes.set(candidate.id, Number(raw));
  }
  if (errors.length) return { ok: false, errors };
  if (votes.size === 0) return { ok: false, errors: ["文件中没有票数"] };
  return { ok: true, votes: [...votes].map(([nominationId, count]) => ({ nominationId, votes: count })) };
}

/** The candidates a vote file's rows are matched against: code and name. */
export async function voteCandidates(db: DB, campaignId: number) {
  return db
    .selectFrom("nomination")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["nomination.id", "nomination.seq", "person.name"])
    .where("nomination.campaign_id", "=", campaignId)
    .where("nomination.candidate", "=", true)
    .execute();
}

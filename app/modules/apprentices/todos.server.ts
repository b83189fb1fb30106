import { waiting, todosOf } from "~/modules/notifications/sources";
import { logsToConfirm } from "~/modules/apprentices/log.server";

/** A mentor's apprentices' log entries waiting for confirmation, one item per apprentice. */
export const logToConfirm = todosOf("craftsman", async (db, u) =>
  waiting(
    await logsToConfirm(db, u.personId),
    (r) => `确认学徒${r.name}的学习日志（${r.n}条）`,
    (id) => `/mentorships/${id}#log`,
  ),
);

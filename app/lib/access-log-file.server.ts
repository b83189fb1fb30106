import fs from "node:fs";
import path from "node:path";
import { todayInTaizhou } from "~/lib/time";

/** A day's access-log file: `access-YYYY-MM-DD.log`, the Taizhou date it was written on. The retention schedule reads the date from the name. */
export const ACCESS_LOG_NAME = /^access-(\d{4}-\d{2}-\d{2})\.log$/;

/**
 * Appends access-log lines to one file per Taizhou day under `dir`, so that a day's log can be deleted whole when the
 * retention schedule says (stdout, kept by whatever supervises the process, cannot be purged by the app). The file is
 * opened in append mode, so several server processes write to the same day's file; each line is one write.
 */
export function dailyLogWriter(dir: string, now: () => Date = () => new Date()): { write: (line: string) => void; close: () => void } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let day = "";
  let stream: fs.WriteStream | null = null;
  const close = () => {
    stream?.end();
    stream = null;
  };
  return {
    write(line) {
      const today = todayInTaizhou(now());
      if (today !== day || !stream) {
        close();
        day = today;
        stream = fs.createWriteStream(path.join(dir, `access-${today}.log`), { flags: "a", mode: 0o600 });
        stream.on("error", (error) => console.error(`访问日志写入失败：${error.message}`));
      }
      stream.write(`${line}\n`);
    },
    close,
  };
}

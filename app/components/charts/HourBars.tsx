/**
 * Votes per hour as plain HTML bars: drawn on the server, readable without JavaScript, and light
 * enough for the vote monitor (Recharts is ~110 kB brotli; only the dashboard carries it).
 */
export function HourBars({ rows }: { rows: Array<{ hour: string; ballots: number; valid: number }> }) {
  if (!rows.length) return <p className="empty">暂无选票</p>;
  const most = Math.max(1, ...rows.map((r) => r.ballots));
  return (
    <ol className="hour-bars">
      {rows.map((r) => (
        <li key={r.hour}>
          <span className="hour-bars-label">{r.hour}</span>
          <span className="hour-bars-track" aria-hidden>
            <span className="hour-bars-all" style={{ width: `${(r.ballots / most) * 100}%` }} />
            <span className="hour-bars-valid" style={{ width: `${(r.valid / most) * 100}%` }} />
          </span>
          <span className="hour-bars-count">
            {r.ballots} 票{r.valid < r.ballots ? `（有效 ${r.valid}）` : ""}
          </span>
        </li>
      ))}
    </ol>
  );
}

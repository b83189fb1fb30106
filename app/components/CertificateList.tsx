import { Link } from "@remix-run/react";
import { formatDate } from "~/lib/format";

/** A person's certificates, each opening as a picture to save and a PDF: 台州工匠 awards, then attended events'. */
export function CertificateList({
  awards,
  events,
}: {
  awards: Array<{ certificate_number: string | null; award_title: string | null; campaign_year: number }>;
  events: Array<{ certificate_code: string | null; title: string; starts_at: string | Date }>;
}) {
  const attended = events.filter((e) => e.certificate_code);
  return (
    <div className="card" id="certificates">
      <h2>证书</h2>
      {awards.length + attended.length === 0 ? <p className="empty">还没有证书。</p> : null}
      <ul className="timeline">
        {awards.map((a) => (
          <li key={a.certificate_number}>
            <Link to={`/awards/${encodeURIComponent(a.certificate_number!)}`}>
              {a.award_title}荣誉证书（{a.campaign_year}年）
            </Link>{" "}
            <span className="mono small">{a.certificate_number}</span>
          </li>
        ))}
        {attended.map((e) => (
          <li key={e.certificate_code}>
            <Link to={`/certificates/${e.certificate_code}`}>“{e.title}”结业证书</Link> <time>{formatDate(e.starts_at)}</time>
          </li>
        ))}
      </ul>
    </div>
  );
}

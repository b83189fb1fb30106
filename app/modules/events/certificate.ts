import type { CertificateFace } from "~/lib/certificate-file.server";
import { formatDate } from "~/lib/format";
import { KIND_LABELS } from "~/modules/events/reach";
import type { verifyCertificate } from "~/modules/events/events.server";

type Attendance = NonNullable<Awaited<ReturnType<typeof verifyCertificate>>>;

/** The certificate of attendance as its page, its picture and its PDF say it. */
export function attendanceCertificateFace(c: Attendance, checkAt: string): CertificateFace {
  return {
    heading: "证　书",
    paragraphs: [
      `${c.name} 同志于 ${formatDate(c.starts_at)} 参加${c.studio_name ?? c.unit_name}组织的“${c.title}”（${KIND_LABELS[c.kind]}），计 ${Number(c.hours)} 学时。`,
      "特发此证。",
    ],
    issuer: c.unit_name,
    date: formatDate(c.ends_at),
    number: c.certificate_code!,
    checkAt,
  };
}

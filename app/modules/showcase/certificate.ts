import type { CertificateFace } from "~/lib/certificate-file.server";
import { formatDate } from "~/lib/format";
import { basisLine, type TitleBasis } from "~/modules/governance/labels";
import type { awardCertificate } from "~/modules/showcase/showcase.server";

type Award = NonNullable<Awaited<ReturnType<typeof awardCertificate>>>;

/** The 台州工匠 certificate as its page, its picture and its PDF say it. */
export function awardCertificateFace(a: Award, checkAt: string, basis: TitleBasis | null): CertificateFace {
  return {
    heading: "荣誉证书",
    paragraphs: [
      `${a.name} 同志被授予${a.title}称号${a.may_day_medal ? "，并获台州市五一劳动奖章" : ""}。`,
      // The decision it was given under (issue 35), as the verify page and the profile name it.
      ...(basis ? [basisLine(basis, "命名")] : []),
      "特发此证。",
    ],
    issuer: "台州市总工会",
    date: formatDate(a.named_on),
    number: a.certificate_number,
    checkAt,
  };
}

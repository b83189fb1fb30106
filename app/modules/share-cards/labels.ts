import type { PageCard } from "~/lib/og";

/**
 * The cards of the pages that share one card for everyone (a list, a form): what each says, as the
 * page's own heading and lead say it. `tagLatin` is what a server without a Chinese font draws.
 */
export const PAGE_CARD_TEXT: Record<PageCard, { tag: string; tagLatin: string; title: string; line: string }> = {
  home: { tag: "匠心", tagLatin: "JIANGXIN", title: "台州工匠服务平台", line: "工匠工作室、“1+N”师带徒、学历提升补助、交流培训" },
  showcase: { tag: "工匠风采", tagLatin: "TAIZHOU CRAFTSMEN", title: "台州工匠风采", line: "台州市总工会命名的历届“台州工匠”：一线职工也能成名成才。" },
  studios: { tag: "工匠工作室", tagLatin: "CRAFTSMAN STUDIOS", title: "工匠工作室", line: "以台州工匠个人名字命名的工作室，发挥“1+N”育人效应。" },
  "subsidy-notices": { tag: "补助公示", tagLatin: "SUBSIDY NOTICES", title: "学历提升补助公示", line: "“台州工匠”学历提升补助批准名单公示，欢迎社会监督。" },
  verify: { tag: "证书查验", tagLatin: "CERTIFICATE CHECK", title: "证书查验", line: "输入证书编号，核验“台州工匠”荣誉证书和交流培训证书。" },
  privacy: { tag: "个人信息保护", tagLatin: "PRIVACY", title: "个人信息保护", line: "查阅、复制、更正、删除您的个人信息，或撤回同意。" },
  "award-certificate": { tag: "荣誉证书", tagLatin: "CERTIFICATE", title: "“台州工匠”荣誉证书", line: "扫描证书上的二维码，或在证书查验页核验。" },
  certificate: { tag: "结业证书", tagLatin: "CERTIFICATE", title: "交流培训结业证书", line: "扫描证书上的二维码，或在证书查验页核验。" },
};

/** The kind of page a record's card is for, over its title. */
export const RECORD_CARD_TAGS = {
  craftsman: { tag: "工匠风采", tagLatin: "TAIZHOU CRAFTSMAN" },
  studio: { tag: "工匠工作室", tagLatin: "CRAFTSMAN STUDIO" },
  notice: { tag: "社会公示", tagLatin: "PUBLIC NOTICE" },
  vote: { tag: "网络投票", tagLatin: "ONLINE VOTE" },
  "vote-results": { tag: "网络投票结果", tagLatin: "VOTE RESULTS" },
  "subsidy-notice": { tag: "补助公示", tagLatin: "SUBSIDY NOTICE" },
} as const;

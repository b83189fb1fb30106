import type { Migration } from "kysely/migration";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_campaigns";
import * as m0003 from "./0003_studios";
import * as m0004 from "./0004_evaluations";
import * as m0005 from "./0005_subsidies";
import * as m0006 from "./0006_events";
import * as m0007 from "./0007_showcase";
import * as m0008 from "./0008_plan";
import * as m0009 from "./0009_figure_indexes";
import * as m0010 from "./0010_masks";
import * as m0011 from "./0011_incomplete_nominations";
import * as m0012 from "./0012_notifications";
import * as m0013 from "./0013_done_by_me";
import * as m0014 from "./0014_online_vote";
import * as m0015 from "./0015_public_notice";
import * as m0016 from "./0016_expert_review";
import * as m0017 from "./0017_import_in_background";
import * as m0018 from "./0018_faults";
import * as m0019 from "./0019_imports_keep_records";
import * as m0022 from "./0022_studio_cycle";
import * as m0020 from "./0020_trust_round_three";
import * as m0023 from "./0023_objector_and_walk_in";
import * as m0024 from "./0024_apprentices";
import * as m0025 from "./0025_subsidy_practice";
import * as m0026 from "./0026_subsidy_scheme_file";
import * as m0027 from "./0027_title_basis";
import * as m0028 from "./0028_honours";
import * as m0029 from "./0029_rights_desk";
import * as m0030 from "./0030_retention";
import * as m0031 from "./0031_sign_in_flows";
import * as m0032 from "./0032_single_sign_on";
import * as m0033 from "./0033_wechat";
import * as m0034 from "./0034_phone_sessions";
import * as m0035 from "./0035_data_changes";
import * as m0036 from "./0036_work_changes";

/**
 * Migrations are listed here, not discovered on disk, so the same list works from the
 * server bundle, from tsx scripts and from vitest.
 */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_campaigns": m0002,
  "0003_studios": m0003,
  "0004_evaluations": m0004,
  "0005_subsidies": m0005,
  "0006_events": m0006,
  "0007_showcase": m0007,
  "0008_plan": m0008,
  "0009_figure_indexes": m0009,
  "0010_masks": m0010,
  "0011_incomplete_nominations": m0011,
  "0012_notifications": m0012,
  "0013_done_by_me": m0013,
  "0014_online_vote": m0014,
  "0015_public_notice": m0015,
  "0016_expert_review": m0016,
  "0017_import_in_background": m0017,
  "0018_faults": m0018,
  "0019_imports_keep_records": m0019,
  "0022_studio_cycle": m0022,
  "0020_trust_round_three": m0020,
  "0023_objector_and_walk_in": m0023,
  "0024_apprentices": m0024,
  "0025_subsidy_practice": m0025,
  "0026_subsidy_scheme_file": m0026,
  "0027_title_basis": m0027,
  "0028_honours": m0028,
  "0029_rights_desk": m0029,
  "0030_retention": m0030,
  "0031_sign_in_flows": m0031,
  "0032_single_sign_on": m0032,
  "0033_wechat": m0033,
  "0034_phone_sessions": m0034,
  "0035_data_changes": m0035,
  "0036_work_changes": m0036,
};

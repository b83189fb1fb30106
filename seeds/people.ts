import { checkCharacter, type Sex } from "../app/modules/people/id-number";
import type { Random } from "../app/lib/random";

const SURNAMES = [..."王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘蒋蔡余杜叶程苏魏吕丁任沈姚卢金陆应泮缪项"];
const GIVEN_MALE = [..."建国伟强军勇杰涛斌磊超明辉平刚波海峰宏志鹏浩宇晨俊"];
const GIVEN_FEMALE = [..."芳娟敏静丽艳霞燕红玲萍英华慧婷雪琳洁颖佳倩琴"];
const GIVEN_ANY = [..."文德春永正立新德荣晓振世金松林安云益"];

export function personName(random: Random, sex: Sex): string {
  const pool = sex === "M" ? GIVEN_MALE : GIVEN_FEMALE;
  const given = random.chance(0.35) ? random.pick(pool) : random.pick(GIVEN_ANY) + random.pick(pool);
  return random.pick(SURNAMES) + given;
}

/** County-level district codes of Taizhou, by org unit code (the development zone files under 椒江). */
export const DISTRICT_CODES: Record<string, string> = {
  jiaojiang: "331002",
  huangyan: "331003",
  luqiao: "331004",
  linhai: "331082",
  wenling: "331081",
  yuhuan: "331083",
  tiantai: "331023",
  xianju: "331024",
  sanmen: "331022",
  kaifaqu: "331002",
};

/** A fictional resident ID number that passes every check: real date, matching sex, valid check digit. */
export function fictionalIdNumber(random: Random, districtCode: string, birthDate: string, sex: Sex, serial: number): string {
  // The last sequence digit carries the sex; the serial keeps numbers unique within a seed run.
  const base = (serial % 50) * 2 + (sex === "M" ? 1 : 0);
  const sequence = String((Math.floor(serial / 50) % 10) * 100 + base).padStart(3, "0");
  const first17 = districtCode + birthDate.replaceAll("-", "") + sequence;
  return first17 + checkCharacter(first17);
}

export function birthDate(random: Random, fromYear: number, toYear: number): string {
  const year = random.int(fromYear, toYear);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function mobilePhone(random: Random): string {
  return `1${random.pick(["35", "38", "39", "58", "59", "77", "88"])}${String(random.int(0, 99999999)).padStart(8, "0")}`;
}

const COMPANY_HEADS = ["恒远", "东海", "华科", "新锐", "精诚", "宏达", "永兴", "海川", "天工", "博远", "联创", "金鼎", "瑞丰", "鼎力"];
const COMPANY_TRADES: Array<[trade: string, industry: string]> = [
  ["精密机械", "汽车及零部件"],
  ["缝纫机", "缝制设备"],
  ["泵业", "泵与电机"],
  ["模塑", "模具与塑料"],
  ["药业", "医药化工"],
  ["智能卫浴", "智能马桶与卫浴"],
  ["阀门", "水暖阀门"],
  ["电力工程", "电力"],
  ["建设", "建筑施工"],
  ["船舶修造", "船舶修造"],
  ["食品", "食品加工"],
  ["木雕工艺", "传统工艺"],
];

export function employer(random: Random, place: string): { employer: string; industry: string } {
  const [trade, industry] = random.pick(COMPANY_TRADES);
  return { employer: `${place}${random.pick(COMPANY_HEADS)}${trade}有限公司`, industry };
}

export const POSITIONS = ["车间主任", "班组长", "首席技师", "技术主管", "操作工", "质检员", "工艺员", ""];
export const TITLES = ["高级工程师", "工程师", "助理工程师", "", "", ""];

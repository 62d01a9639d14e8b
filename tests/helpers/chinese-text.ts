// Rows of Chinese text for the readers' exactness tests: names with rare characters outside the
// Basic Multilingual Plane (four bytes in UTF-8 and GB18030) and ethnic-minority names with their
// separator dots, employers with commas and quotes, addresses with line breaks. Deterministic by seed.

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钱汪熊";
const GIVEN = ["伟", "芳", "娜", "敏", "浩", "然", "子", "涵", "欣", "怡", "𠮷", "𡈽", "𪚥", "䶮", "堃", "喆", "镕", "玥", "燊", "昇"];
const ETHNIC = ["阿依古丽·买买提", "古丽娜·热合曼", "穆罕默德•阿不都", "迪丽・热巴"];
const EMPLOYERS = ["常州市天宁机械厂", "江苏恒力化纤有限公司", "常州东方电子股份有限公司", "钟楼区人民医院", '常州"星火"科技, 有限公司', "新北区𠮷祥物流有限公司"];
const STREETS = ["青龙街道", "红梅街道", "五星街道", "南大街街道", "龙虎塘街道"];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` rows: ID-like digits, name, employer, address, remark, serial number (a whole number). */
export function chineseRows(count: number, seed: number): string[][] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[] | string): T | string => xs[Math.floor(rand() * xs.length)];
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const name = rand() < 0.05 ? String(pick(ETHNIC)) : `${pick(SURNAMES)}${pick(GIVEN)}${rand() < 0.6 ? pick(GIVEN) : ""}`;
    const id = `320402${String(19500101 + Math.floor(rand() * 500000)).padStart(8, "0")}${String(i % 10000).padStart(4, "0")}`;
    const address = `常州市${pick(STREETS)}${1 + Math.floor(rand() * 300)}号${rand() < 0.02 ? "\n（旧址）" : ""}`;
    const remark = rand() < 0.3 ? "" : `${pick(SURNAMES)}某，联系人：“${name}”`;
    rows.push([id, name, String(pick(EMPLOYERS)), address, remark, String(i + 1)]);
  }
  return rows;
}

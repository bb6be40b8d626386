// The ID number check of services/common/id_number.cc (GB 11643), as the clerk types: the same
// rules in the same order, so the console and the server agree. The server decides again.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export interface IdCheck {
  ok: boolean;
  // Chinese, for beside the field; empty when ok.
  problem: string;
}

// Today in China (UTC+8), as `YYYY-MM-DD`: the server's Today().
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function checkChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function realDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function checkIdNumber(text: string, today: string = todayInChina()): IdCheck {
  const bad = (problem: string): IdCheck => ({ ok: false, problem });
  if (text.length !== 18) return bad(`须为18位(已输入${text.length}位)`);
  if (!/^\d{17}$/.test(text.slice(0, 17))) return bad('前17位须为数字');
  const last = text[17].toUpperCase();
  if (last !== 'X' && !/\d/.test(last)) return bad('最后一位须为数字或X');
  const expected = checkChar(text.slice(0, 17));
  if (expected !== last) return bad('校验位错误');
  const y = Number(text.slice(6, 10));
  const m = Number(text.slice(10, 12));
  const d = Number(text.slice(12, 14));
  if (!realDay(y, m, d)) return bad('出生日期不存在');
  const birth = text.slice(6, 10) + '-' + text.slice(10, 12) + '-' + text.slice(12, 14);
  if (birth < '1900-01-01') return bad('出生日期早于1900-01-01');
  if (birth > today) return bad('出生日期在今天之后');
  return { ok: true, problem: '' };
}

// The server's English problem texts (id_number.cc, household.cc) in Chinese; others as sent.
const SERVER_PROBLEMS: Record<string, string> = {
  'must be 18 characters': '须为18位',
  'first 17 characters must be digits': '前17位须为数字',
  'last character must be a digit or X': '最后一位须为数字或X',
  'wrong check character': '校验位错误',
  'impossible birth date': '出生日期不存在',
  'birth date before 1900-01-01': '出生日期早于1900-01-01',
  'birth date in the future': '出生日期在今天之后',
  'is required': '必填',
  'must be given': '必填',
};

export function problemInChinese(problem: string): string {
  return SERVER_PROBLEMS[problem] ?? problem;
}

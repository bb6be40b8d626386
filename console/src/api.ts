// Calls to the gateway's HTTP/JSON API with the session's bearer token. Errors come back as
// {code, message: "<field>: <problem>"} (README "Errors"); ApiError keeps the field apart so that
// a form shows the problem beside the control it names.
import { currentSession, signOut } from './auth';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly serverMessage: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(serverMessage);
  }
}

// "members[0].id_number: wrong check character" → field and problem; a message without a field
// path (a sentence) has an empty field.
export function splitFieldMessage(message: string): { field: string; problem: string } {
  const m = /^([a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)*): (.*)$/s.exec(message);
  return m ? { field: m[1], problem: m[2] } : { field: '', problem: message };
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const s = currentSession();
  if (s !== null) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let r: Response;
  try {
    r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 14, '无法连接网关', '', '无法连接网关');
  }
  const text = await r.text();
  let json: any = {};
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = { message: text };
  }
  if (r.status === 401 && s !== null) {
    // Expired or no longer trusted: sign in again.
    signOut();
    location.hash = '#/signin';
  }
  if (!r.ok) {
    const message = String(json.message ?? r.statusText);
    const { field, problem } = splitFieldMessage(message);
    throw new ApiError(r.status, Number(json.code ?? 2), message, field, problem);
  }
  return json as T;
}

// What the console says for an error status, in Chinese.
export function describeError(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  const what: Record<number, string> = {
    0: '无法连接网关',
    400: '输入有误',
    401: '未登录或登录已过期',
    403: '无权进行此操作',
    404: '未找到(或不在您的辖区内)',
    409: '与现有记录冲突',
    429: '请求过于频繁,请稍后再试',
    503: '服务暂不可用',
  };
  return `${what[e.status] ?? '操作失败'}:${e.serverMessage}`;
}

export function yuan(fen: number | string | undefined): string {
  const v = Number(fen ?? 0) / 100;
  return v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

// Who is signed in: the bearer token (pasted, or minted by `make run`'s development sign-in) and
// the claims the console reads to decide what to show. The services check the token again on
// every call; hiding a button is never the protection.

export interface Session {
  token: string;
  subject: string;
  roles: string[];
  region: string;
  expires: number; // seconds since the epoch
}

const KEY = 'civil.console.token';

function decodeClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

export function sessionOf(token: string): Session | null {
  const claims = decodeClaims(token.trim());
  if (claims === null) return null;
  const roles = Array.isArray(claims.roles)
    ? (claims.roles as unknown[]).filter((r): r is string => typeof r === 'string')
    : typeof claims.roles === 'string'
      ? String(claims.roles).split(/[ ,]+/)
      : [];
  return {
    token: token.trim(),
    subject: String(claims.sub ?? ''),
    roles,
    region: String(claims.region ?? ''),
    expires: Number(claims.exp ?? 0),
  };
}

export function currentSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  if (token === null) return null;
  const s = sessionOf(token);
  if (s === null || (s.expires > 0 && s.expires * 1000 < Date.now())) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return s;
}

export function signIn(token: string): Session | null {
  const s = sessionOf(token);
  if (s === null) return null;
  sessionStorage.setItem(KEY, s.token);
  return s;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

export function hasRole(s: Session | null, ...roles: string[]): boolean {
  return s !== null && roles.some((r) => s.roles.includes(r));
}

// The county the caller works in: the first 6 digits of the region, or 340722 for `*`.
export function countyOf(s: Session): string {
  return /^\d{6}/.test(s.region) ? s.region.slice(0, 6) : '340722';
}

export const ROLE_NAMES: Record<string, string> = {
  'assistance.clerk': '社会救助经办员',
  'assistance.reviewer': '社会救助审核员',
  'affairs.clerk': '社会事务经办员',
  'affairs.reviewer': '社会事务审核员',
  'eldercare.clerk': '养老服务经办员',
  'eldercare.reviewer': '养老服务审核员',
  'childwelfare.clerk': '儿童福利经办员',
  'childwelfare.reviewer': '儿童福利审核员',
  'governance.clerk': '基层治理经办员',
  'governance.reviewer': '基层治理审核员',
  'socialorg.clerk': '社会组织经办员',
  'socialorg.reviewer': '社会组织审核员',
  auditor: '审计',
  leadership: '局领导',
  admin: '管理员',
};

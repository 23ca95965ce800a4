// The one way the app talks to the server: the public JSON API under
// /api/v1, with the bearer token kept in sessionStorage (never in a URL).
const TOKEN_KEY = 'jingsai.token';
const USER_KEY = 'jingsai.user';

const CODE_MESSAGES = {
  bad_request: '请求有误',
  unauthenticated: '请重新登录',
  forbidden: '没有权限执行此操作',
  not_found: '没有找到该项目',
  invalid_action: '当前阶段不允许此操作',
  conflict: '已存在相同的记录',
  version_mismatch: '内容已被他人修改，请刷新后重试',
  too_large: '文件或内容过大',
  unsupported_media_type: '不支持的文件类型',
  validation_failed: '校验未通过',
  invalid_flow: '流程定义有问题',
  rate_limited: '尝试次数过多，请稍后再试',
  internal: '服务器内部错误',
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message || CODE_MESSAGES[code] || `请求失败（${status}）`);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function hasRole(user, ...roles) {
  return Boolean(user && user.roles.some((binding) => roles.includes(binding.role)));
}

export function currentUser() {
  const text = sessionStorage.getItem(USER_KEY);
  return text ? JSON.parse(text) : null;
}

export function saveSession(newToken, user) {
  sessionStorage.setItem(TOKEN_KEY, newToken);
  sessionStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler;
}

// request('GET', '/tasks') -> parsed JSON (or Response when `raw`).
// `json` is sent as JSON; `body` is sent as is with `contentType`.
export async function request(method, path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const current = token();
  if (current) headers.Authorization = `Bearer ${current}`;
  let body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType || 'application/octet-stream';
    body = options.body;
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络');
  }
  if (response.status === 401 && path !== '/auth/login') {
    clearSession();
    onUnauthenticated();
  }
  if (!response.ok) {
    let error = {};
    try {
      error = (await response.json()).error || {};
    } catch {
      // not a JSON error body
    }
    throw new ApiError(response.status, error.code, error.message, error.details);
  }
  if (options.raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path) => request('GET', path);
export const post = (path, json) => request('POST', path, { json });
export const patch = (path, json) => request('PATCH', path, { json });
export const del = (path) => request('DELETE', path);

// Every page of a list: {items, next_cursor} pages followed to the end.
export async function getAll(path, limit = 200) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

// A blob: URL for bytes that need the token (evidence), for <img>/<iframe>.
export async function blobUrl(path) {
  const response = await request('GET', path, { raw: true });
  return URL.createObjectURL(await response.blob());
}

let campaignCache = null;
export async function campaign() {
  if (!campaignCache) campaignCache = await get('/campaigns/leshan-2014');
  return campaignCache;
}

let orgCache = null;
export async function orgs() {
  if (!orgCache) orgCache = await getAll('/orgs');
  return orgCache;
}
export function forgetOrgs() {
  orgCache = null;
}

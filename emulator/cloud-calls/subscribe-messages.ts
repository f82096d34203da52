// subscribeMessage.send stand-in: templates registered in the emulator, the one-time grants users
// gave (wx.requestSubscribeMessage "accept": one message each), and an outbox of what was sent.
// Rules and errcodes from WeChat's page
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
// (40003 touser, 40037 template_id, 43101 user refused / not subscribed, 47003 data, 41030 page)
// and its table of keyword value limits ("订阅消息参数值内容限制说明"); the value checks are
// approximations of those rules, stricter never looser.
import { randomUUID } from 'node:crypto';
import { hasOwnEntry, ownEntry } from '../lib/own-entry';
import { wechatFail, type WechatReply } from './wechat-reply';

export interface Template {
  templateId: string;
  title: string;
  /** Keyword keys as WeChat names them: thing1, time2, number3...; the type is the key less its digits. */
  keys: string[];
}

export interface SentMessage {
  id: string;
  sentAt: string;
  touser: string;
  templateId: string;
  title: string;
  page?: string;
  data: Record<string, string>;
  miniprogramState: string;
  lang: string;
  /** The function that sent it, when a function did. */
  sentBy?: string;
}

const KEEP = 500;
const STATES = new Set(['developer', 'trial', 'formal']);
const LANGS = new Set(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']);
const DATE = String.raw`\d{4}(?:年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2})`;
const CLOCK = String.raw`\d{1,2}:\d{2}(?::\d{2})?`;

const chars = (s: string) => [...s].length;

/** WeChat's value limit per keyword type. */
const VALUE_RULES: Record<string, (v: string) => boolean> = {
  thing: (v) => chars(v) <= 20,
  number: (v) => /^\d+(?:\.\d+)?$/.test(v) && v.length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => /^[^\p{L}\p{N}\s]{1,5}$/u.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  time: (v) => new RegExp(`^(?:${DATE}\\s*)?${CLOCK}$|^${DATE}$`).test(v),
  date: (v) => new RegExp(`^${DATE}(?:\\s*${CLOCK})?$`).test(v),
  amount: (v) => /^[¥$€£]?\d{1,10}(?:\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
  car_number: (v) => chars(v) <= 8,
  name: (v) => (/^[A-Za-z .]+$/.test(v) ? v.length <= 20 : chars(v) <= 10),
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
};

export const keywordType = (key: string) => key.replace(/\d+$/, '');
export const isKnownKeyword = (key: string) => /\d+$/.test(key) && hasOwnEntry(VALUE_RULES, keywordType(key));

export class SubscribeMessages {
  private readonly templates = new Map<string, Template>();
  /** Remaining one-time grants by `${openid}\n${templateId}`. */
  private readonly grants = new Map<string, number>();
  private readonly sent: SentMessage[] = [];

  listTemplates(): Template[] {
    return [...this.templates.values()];
  }

  putTemplate(template: Template): void {
    this.templates.set(template.templateId, { ...template, keys: [...template.keys] });
  }

  removeTemplate(templateId: string): boolean {
    return this.templates.delete(templateId);
  }

  hasTemplate(templateId: string): boolean {
    return this.templates.has(templateId);
  }

  /** The user accepted `times` one-time subscriptions to the template. */
  grant(openid: string, templateId: string, times: number): number {
    const key = `${openid}\n${templateId}`;
    const left = (this.grants.get(key) ?? 0) + times;
    this.grants.set(key, left);
    return left;
  }

  subscriptions(): Array<{ openid: string; templateId: string; remaining: number }> {
    return [...this.grants].filter(([, n]) => n > 0).map(([key, remaining]) => {
      const [openid = '', templateId = ''] = key.split('\n');
      return { openid, templateId, remaining };
    });
  }

  outbox(): readonly SentMessage[] {
    return this.sent;
  }

  clearOutbox(): void {
    this.sent.length = 0;
  }

  send(body: Record<string, unknown>, sentBy: string | undefined, now: Date): WechatReply {
    const { touser, template_id: templateId, page, data } = body;
    if (typeof touser !== 'string' || touser === '') return wechatFail(40003, 'invalid openid');
    if (typeof templateId !== 'string' || templateId === '') return wechatFail(40037, 'invalid template_id');
    const template = this.templates.get(templateId);
    if (!template) return wechatFail(40037, 'invalid template_id');
    if (page !== undefined && (typeof page !== 'string' || page.startsWith('/') || chars(page) > 1024)) return wechatFail(41030, 'invalid page');
    const state = body.miniprogram_state ?? 'formal';
    if (typeof state !== 'string' || !STATES.has(state)) return wechatFail(47003, 'argument invalid! miniprogram_state invalid');
    const lang = body.lang ?? 'zh_CN';
    if (typeof lang !== 'string' || !LANGS.has(lang)) return wechatFail(47003, 'argument invalid! lang invalid');
    const values = checkData(template, data);
    if (typeof values === 'string') return wechatFail(47003, `argument invalid! ${values}`);
    const key = `${touser}\n${templateId}`;
    const left = this.grants.get(key) ?? 0;
    if (left <= 0) return wechatFail(43101, 'user refuse to accept the msg');
    this.grants.set(key, left - 1);
    const message: SentMessage = { id: randomUUID(), sentAt: now.toISOString(), touser, templateId, title: template.title, page: page as string | undefined, data: values, miniprogramState: state, lang, sentBy };
    this.sent.unshift(message);
    if (this.sent.length > KEEP) this.sent.pop();
    return { errcode: 0, errmsg: 'ok', msgid: message.id };
  }
}

/** The data's values by key, or what is wrong with it. */
function checkData(template: Template, data: unknown): Record<string, string> | string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'data invalid';
  const entries = data as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const key of Object.keys(entries)) if (!template.keys.includes(key)) return `data.${key} is not a keyword of the template`;
  for (const key of template.keys) {
    const entry = entries[key];
    const value = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return `data.${key}.value invalid`;
    const text = String(value);
    const rule = ownEntry(VALUE_RULES, keywordType(key));
    if (text === '' || (rule && !rule(text))) return `data.${key}.value invalid`;
    values[key] = text;
  }
  return values;
}

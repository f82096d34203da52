// security.msgSecCheck stand-in (cloud call and POST /wxa/msg_sec_check): a configurable word list
// decides pass / review / risky. Request rules, errcodes and the reply's shape follow WeChat's page
// https://developers.weixin.qq.com/miniprogram/dev/server/API/sec-center/sec-check/api_msgseccheck.html
// (v2: version 2, openid, scene 1-4, content; result {suggest, label}, detail[], trace_id). Without
// version 2 the call is v1: errcode 87014 "risky content" for anything not passed.
import { randomBytes } from 'node:crypto';
import { wechatFail, type WechatReply } from './wechat-reply';

export type Suggest = 'pass' | 'review' | 'risky';

/** WeChat's labels (api_msgseccheck.html, "label 的合法值"). */
export const LABELS: Record<number, string> = {
  100: '正常',
  10001: '广告',
  20001: '时政',
  20002: '色情',
  20003: '辱骂',
  20006: '违法犯罪',
  20008: '欺诈',
  20012: '低俗',
  20013: '版权',
  21000: '其他',
};

export interface WordRule {
  word: string;
  suggest: 'review' | 'risky';
  label: number;
}

/**
 * Obvious test words. The first is the text WeChat's community uses to get 87014 from the real
 * service (developers.weixin.qq.com community threads on msgSecCheck testing).
 */
export const SEED_WORDS: readonly WordRule[] = [
  { word: '特3456书yuuo莞6543李zxcz蒜7782法fgnv级', suggest: 'risky', label: 20006 },
  { word: 'emulator-risky', suggest: 'risky', label: 20001 },
  { word: '违规测试', suggest: 'risky', label: 20003 },
  { word: 'emulator-review', suggest: 'review', label: 21000 },
  { word: '待审测试', suggest: 'review', label: 10001 },
];

const RANK: Record<Suggest, number> = { pass: 0, review: 1, risky: 2 };
const SCENES = new Set([1, 2, 3, 4]);
/** "文本字数的上限为2500字" */
const MAX_CONTENT_CHARS = 2500;

export interface Verdict {
  suggest: Suggest;
  label: number;
  keyword?: string;
}

export class ContentSecurity {
  private rules: WordRule[] = SEED_WORDS.map((r) => ({ ...r }));

  words(): readonly WordRule[] {
    return this.rules;
  }

  setWords(rules: WordRule[]): void {
    this.rules = rules.map((r) => ({ ...r }));
  }

  reset(): void {
    this.setWords([...SEED_WORDS]);
  }

  /** The worst rule any of the texts matches (case-insensitive substring). */
  judge(...texts: string[]): Verdict {
    let verdict: Verdict = { suggest: 'pass', label: 100 };
    const haystacks = texts.map((t) => t.toLowerCase());
    for (const rule of this.rules) {
      const needle = rule.word.toLowerCase();
      if (needle === '' || !haystacks.some((h) => h.includes(needle))) continue;
      if (RANK[rule.suggest] > RANK[verdict.suggest]) verdict = { suggest: rule.suggest, label: rule.label, keyword: rule.word };
    }
    return verdict;
  }

  /** The body of one msgSecCheck call, already JSON (snake_case as WeChat takes it). */
  msgSecCheck(body: Record<string, unknown>): WechatReply {
    const content = body.content;
    if (content === undefined || content === '') return wechatFail(44002, 'empty post data');
    if (typeof content !== 'string') return wechatFail(47001, 'data format error');
    const version = Number(body.version ?? 1);
    if (version !== 2) {
      const v1 = this.judge(content);
      return v1.suggest === 'pass' ? { errcode: 0, errmsg: 'ok' } : wechatFail(87014, 'risky content');
    }
    if (typeof body.openid !== 'string' || body.openid === '') return wechatFail(40003, 'invalid openid');
    if (!SCENES.has(Number(body.scene))) return wechatFail(40129, 'invalid scene');
    if ([...content].length > MAX_CONTENT_CHARS) return wechatFail(47001, `data format error: content exceeds ${MAX_CONTENT_CHARS} characters`);
    const extras = ['nickname', 'title', 'signature'].map((k) => body[k]).filter((v): v is string => typeof v === 'string');
    const verdict = this.judge(content, ...extras);
    const detail: Array<Record<string, unknown>> = [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: verdict.suggest === 'pass' ? 0 : 90 }];
    if (verdict.keyword) detail.push({ strategy: 'keyword', errcode: 0, suggest: verdict.suggest, label: verdict.label, level: 20, keyword: verdict.keyword });
    return { errcode: 0, errmsg: 'ok', result: { suggest: verdict.suggest, label: verdict.label }, detail, trace_id: `emulator-${randomBytes(8).toString('hex')}` };
  }
}

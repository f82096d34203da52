// The port of the WeChat stand-in: what it remembers (tests look at its tokens, codes and jobs).
import { port } from '../port-registry';
import type { WechatState } from './wechat-state';

export const WECHAT = port<WechatState>('wechat.state');

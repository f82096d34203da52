// Start: wx.login, then common.login (registers on first use) and wechat.login with the code
// (checks the code and tells whether the profile is complete). Shows openid, nickname, features.
import { login } from '../../services/backend';
import { messageOf } from '../../services/call-function';
import { signIn } from '../../services/session';
import { wechat } from '../../services/wechat';

Component({
  data: {
    loading: true,
    error: '',
    openid: '',
    nickname: '',
    infoComplete: false,
    auth: [] as string[],
    canBackup: false,
  },
  lifetimes: {
    attached() {
      void this.signIn();
    },
  },
  methods: {
    async signIn() {
      this.setData({ loading: true, error: '' });
      try {
        const { code } = await login();
        const me = await signIn(true);
        const session = await wechat.login({ users_wx_code: code });
        this.setData({
          loading: false,
          openid: me.openid,
          nickname: me.nickname,
          auth: me.auth,
          canBackup: me.auth.includes('backdb'),
          infoComplete: session.data.is_info_complete,
        });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    onNavigate(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>) {
      void wx.navigateTo({ url: e.currentTarget.dataset.url });
    },
  },
});

// Profile: avatar (chooseAvatar), nickname (type="nickname") and phone (getPhoneNumber) saved
// together with wechat.profile; the phone code is single-use, so sharing the phone saves.
// Shows whether the profile is complete and the masked phone, as wechat.login reports them.
import { login } from '../../services/backend';
import { publicAvatarUrl } from '../../services/avatar';
import { messageOf } from '../../services/call-function';
import { wechat } from '../../services/wechat';

type PhoneEvent = WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>;

Component({
  data: {
    loading: true,
    saving: false,
    error: '',
    notice: '',
    nickname: '',
    avatarUrl: '',
    phoneMasked: '',
    infoComplete: false,
  },
  lifetimes: {
    attached() {
      void this.load();
    },
  },
  methods: {
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const { code } = await login();
        const { data } = await wechat.login({ users_wx_code: code });
        this.setData({
          loading: false,
          nickname: data.user.users_name ?? '',
          avatarUrl: data.user.users_picture ?? '',
          phoneMasked: data.user.users_phone_masked ?? '',
          infoComplete: data.is_info_complete,
        });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    async onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      this.setData({ error: '', notice: '' });
      try {
        this.setData({ avatarUrl: await publicAvatarUrl(e.detail.avatarUrl) });
      } catch (err) {
        this.setData({ error: messageOf(err) });
      }
    },
    onNickname(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ nickname: e.detail.value });
    },
    async onPhone(e: PhoneEvent) {
      this.setData({ error: '', notice: '' });
      const phoneCode = e.detail.code;
      if (!phoneCode) return this.setData({ error: '未获取到手机号授权' });
      const nickname = this.data.nickname.trim();
      if (!nickname || !this.data.avatarUrl) return this.setData({ error: '请先选择头像并填写昵称' });
      this.setData({ saving: true });
      try {
        const { data } = await wechat.profile({ users_name: nickname, users_phone_code: phoneCode, users_picture: this.data.avatarUrl });
        this.setData({ saving: false, notice: '资料已保存', nickname: data.user.users_name ?? nickname, phoneMasked: data.user.users_phone_masked ?? '' });
        await this.refreshCompleteness();
      } catch (err) {
        this.setData({ saving: false, error: messageOf(err) });
      }
    },
    /** is_info_complete as the function decides it (wechat.login reports it). */
    async refreshCompleteness() {
      try {
        const { code } = await login();
        const { data } = await wechat.login({ users_wx_code: code });
        this.setData({ infoComplete: data.is_info_complete });
      } catch (err) {
        this.setData({ error: messageOf(err) });
      }
    },
  },
});

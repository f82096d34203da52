// Which CloudBase environment the mini-program calls: the environment id from the CloudBase
// console (云开发控制台 → 设置 → 环境 ID), e.g. 'prod-1a2b3c'. Left empty, wx.cloud.init uses the
// default environment of the AppID (the one WeChat DevTools has selected).
export const CLOUD_ENV_ID = '';

// Local mode, for development in WeChat DevTools only: the URL of a running emulator
// (`npm start`), e.g. 'http://127.0.0.1:8090'. Set, every function call, upload and file URL goes
// to the emulator instead of CloudBase, signed in as DEV_OPENID. Keep it empty in anything you
// upload: empty, the mini-program uses wx.cloud as in production.
export const EMULATOR_URL = '';
/** The user the emulator sees in local mode (its X-WX-OPENID). */
export const DEV_OPENID = 'o_dev_local_user';

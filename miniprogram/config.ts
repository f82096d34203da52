// Which CloudBase environment the mini-program calls: the environment id from the CloudBase
// console (云开发控制台 → 设置 → 环境 ID), e.g. 'prod-1a2b3c'. Left empty, wx.cloud.init uses the
// default environment of the AppID (the one WeChat DevTools has selected).
export const CLOUD_ENV_ID = '';

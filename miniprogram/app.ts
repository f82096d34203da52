// The mini-program: CloudBase is initialised once, for the environment named in config.ts.
import { CLOUD_ENV_ID } from './config';

App({
  onLaunch() {
    if (!wx.cloud) {
      console.error('wx.cloud is missing: use base library 2.2.3 or later');
      return;
    }
    wx.cloud.init(CLOUD_ENV_ID ? { env: CLOUD_ENV_ID, traceUser: true } : { traceUser: true });
  },
});

// The mini-program: its backend (CloudBase, or the local emulator in local mode) is set up once.
import { initBackend } from './services/backend';

App({
  onLaunch() {
    initBackend();
  },
});

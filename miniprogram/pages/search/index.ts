// Search: every search is added to the user's history (user.addHistory), which is listed most
// recent first; tapping an entry searches it again; "clear" empties it (user.cleanHistory).
import { messageOf } from '../../services/call-function';
import { signIn } from '../../services/session';
import { user } from '../../services/user';

Component({
  data: {
    loading: true,
    failed: false,
    busy: false,
    error: '',
    query: '',
    lastSearch: '',
    history: [] as string[],
  },
  lifetimes: {
    attached() {
      void this.load();
    },
  },
  methods: {
    async load() {
      this.setData({ loading: true, failed: false, error: '' });
      try {
        await signIn();
        this.setData({ loading: false, history: await user.getHistory() });
      } catch (err) {
        this.setData({ loading: false, failed: true, error: messageOf(err) });
      }
    },
    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ query: e.detail.value });
    },
    async onSearch() {
      const hist = this.data.query.trim();
      if (!hist || this.data.busy || this.data.loading || this.data.failed) return;
      await this.run(async () => this.setData({ history: await user.addHistory({ hist }), lastSearch: hist }));
    },
    async onPick(e: WechatMiniprogram.BaseEvent<Record<string, never>, { hist: string }>) {
      this.setData({ query: e.currentTarget.dataset.hist });
      await this.onSearch();
    },
    async onClear() {
      await this.run(async () => this.setData({ history: await user.cleanHistory() }));
    },
    async run(action: () => Promise<void>) {
      this.setData({ busy: true, error: '' });
      try {
        await action();
      } catch (err) {
        this.setData({ error: messageOf(err) });
      }
      this.setData({ busy: false });
    },
  },
});

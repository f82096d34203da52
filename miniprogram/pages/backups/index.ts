// Backups: only for users granted the `backdb` feature (common.auth), else a "no access" state.
// Lists the backup jobs (backdb.listJobs), starts a full backup (backdb.createAllJob), and copies
// a finished job's download URL (backdb.getJobUrl + wx.setClipboardData).
import type { BackupJob } from '../../services/backdb';
import { backdb } from '../../services/backdb';
import { CloudFunctionError, messageOf } from '../../services/call-function';
import { common } from '../../services/common';

Component({
  data: {
    loading: true,
    access: false,
    busy: false,
    error: '',
    notice: '',
    jobs: [] as BackupJob[],
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
        const features = await common.auth();
        if (!features.includes('backdb')) return this.setData({ loading: false, access: false });
        this.setData({ loading: false, access: true, jobs: await backdb.listJobs() });
      } catch (err) {
        const denied = err instanceof CloudFunctionError && err.code === 'FORBIDDEN';
        this.setData({ loading: false, access: !denied && this.data.access, error: denied ? '' : messageOf(err) });
      }
    },
    async onStart() {
      await this.run(async () => {
        const { jobs, failed } = await backdb.createAllJob();
        const failures = failed.map((f) => `${f.collection}: ${f.error}`).join('; ');
        this.setData({ notice: `已提交 ${jobs.length} 个备份任务${failed.length ? `，${failed.length} 个失败（${failures}）` : ''}` });
      });
    },
    async onCopy(e: WechatMiniprogram.BaseEvent<Record<string, never>, { jobId: number }>) {
      const jobId = e.currentTarget.dataset.jobId;
      await this.run(async () => {
        const url = await backdb.getJobUrl({ job_id: jobId });
        await wx.setClipboardData({ data: url });
        this.setData({ notice: `已复制任务 ${jobId} 的下载地址` });
      });
    },
    /** Runs an action, shows its failure, and reloads the list (statuses change). */
    async run(action: () => Promise<void>) {
      if (this.data.busy) return;
      this.setData({ busy: true, error: '', notice: '' });
      try {
        await action();
      } catch (err) {
        this.setData({ error: messageOf(err) });
      }
      try {
        this.setData({ jobs: await backdb.listJobs() });
      } catch (err) {
        if (!this.data.error) this.setData({ error: messageOf(err) });
      }
      this.setData({ busy: false });
    },
  },
});

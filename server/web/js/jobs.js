// Polling GET /api/jobs/{jobId} while a video or image renders.
//
// The session stream already announces the result (video_result / static_ad_result); polling is
// the fallback for when that stream is down, and it gives the elapsed time (the job's createdAt
// survives a page reload, a local timer would not).

import { api } from "./api.js";

const EVERY_MS = 2000;
const GIVE_UP_404_AFTER = 10; // the job row appears a moment after the 202; a lasting 404 is real

export class JobWatcher {
  /** @param {(job: object) => void} onJob called with every record fetched */
  constructor(onJob) {
    this.onJob = onJob;
    this.timers = new Map();
  }

  watch(jobId) {
    if (!jobId || this.timers.has(jobId)) return;
    let misses = 0;
    const tick = async () => {
      if (!this.timers.has(jobId)) return;
      try {
        const job = await api(`/api/jobs/${encodeURIComponent(jobId)}`);
        if (!this.timers.has(jobId)) return;
        this.onJob(job);
        if (job.status === "completed" || job.status === "failed") {
          this.stop(jobId);
          return;
        }
      } catch (error) {
        if (error.status === 404 && ++misses >= GIVE_UP_404_AFTER) {
          this.stop(jobId);
          return;
        }
      }
      if (this.timers.has(jobId)) this.timers.set(jobId, setTimeout(tick, EVERY_MS));
    };
    this.timers.set(jobId, setTimeout(tick, 0));
  }

  stop(jobId) {
    clearTimeout(this.timers.get(jobId));
    this.timers.delete(jobId);
  }

  stopAll() {
    for (const jobId of [...this.timers.keys()]) this.stop(jobId);
  }
}

// One EventSource per open session on GET /api/chat/sessions/{id}/events.
//
// That endpoint replays the session's frames after a cursor, then follows the live tail, and
// every frame carries `id: <seq>`. So:
//  - a page load (or reload) opens it from 0 and rebuilds the whole conversation from the replay;
//  - a dropped connection is resumed by the browser itself, which sends Last-Event-ID;
//  - if the browser gives up (a non-200 answer closes an EventSource for good), we ask the same
//    URL with fetch to learn why, and either reopen from the last seq we saw or report the error.
// Frames are also de-duplicated by seq, so a replay overlapping what we already showed is harmless.

import { errorOf, withToken } from "./api.js";

const MAX_BACKOFF_MS = 30_000;

export class SessionStream {
  /**
   * @param {string} sessionId
   * @param {{onFrame: (frame: object, seq: number) => void,
   *          onStatus: (status: "connecting"|"live"|"reconnecting"|"closed") => void,
   *          onFatal: (error: Error, options: {reset: boolean}) => void}} handlers
   */
  constructor(sessionId, handlers) {
    this.sessionId = sessionId;
    this.handlers = handlers;
    this.lastSeq = 0;
    this.source = null;
    this.closed = false;
    this.backoff = 1000;
    this.timer = null;
  }

  url(afterSeq) {
    const path = `/api/chat/sessions/${encodeURIComponent(this.sessionId)}/events`;
    const query = afterSeq > 0 ? `?lastEventId=${afterSeq}` : "";
    return withToken(path + query);
  }

  /** Open (or reopen) the stream after `afterSeq`. */
  open(afterSeq = this.lastSeq) {
    this.source?.close();
    this.handlers.onStatus("connecting");
    const source = new EventSource(this.url(afterSeq));
    this.source = source;
    source.onopen = () => {
      this.backoff = 1000;
      this.handlers.onStatus("live");
    };
    source.onmessage = (event) => this.receive(event);
    source.onerror = () => {
      if (this.closed || source !== this.source) return;
      if (source.readyState === EventSource.CLOSED) this.diagnose();
      else this.handlers.onStatus("reconnecting"); // the browser retries with Last-Event-ID
    };
  }

  receive(event) {
    const seq = Number(event.lastEventId) || 0;
    if (seq && seq <= this.lastSeq) return; // already shown
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return; // not one of ours (a proxy's keep-alive, say)
    }
    if (seq) this.lastSeq = seq;
    this.handlers.onFrame(frame, seq);
  }

  /** The browser closed the stream for good: find out why with a plain request. */
  async diagnose() {
    this.handlers.onStatus("closed");
    const controller = new AbortController();
    try {
      const response = await fetch(this.url(this.lastSeq), {
        headers: { Accept: "text/event-stream" },
        signal: controller.signal,
      });
      if (!response.ok) {
        const error = await errorOf(response);
        if (!this.closed) this.handlers.onFatal(error, { reset: error.code === "cursor_expired" });
        return;
      }
      controller.abort(); // it works again: a transient failure (a proxy, a restart)
    } catch {
      // Network down: keep trying below, more slowly each time.
    }
    if (this.closed) return;
    this.handlers.onStatus("reconnecting");
    this.timer = setTimeout(() => this.open(this.lastSeq), this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }
}

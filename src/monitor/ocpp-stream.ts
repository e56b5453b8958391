import type { Request, Response } from 'express';
import type { FrameLog, OcppFrame } from '../ocpp/frames.js';
import { toFrameRow } from './ocpp-rows.js';
import { beginEventStream, type StreamOptions } from './sse.js';

export interface FrameStreamRequest {
  feed: FrameFeed;
  /** Replay frames with a seq above this first; undefined = from now on. */
  resumeAfter: number | undefined;
  options: StreamOptions;
  now: () => Date;
}

/** `ocpp` events, id = seq and data = OcppFrameRow, so a reconnect resumes after the last frame the client got. */
export function openFrameStream(req: Request, res: Response, s: FrameStreamRequest): void {
  const stream = beginEventStream(req, res, s.options, s.now);
  const send = (frame: OcppFrame): void =>
    stream.send(`event: ocpp\nid: ${frame.seq}\ndata: ${JSON.stringify(toFrameRow(frame))}\n\n`);
  // Replay and subscribe in the same tick: nothing can be added in between, so nothing is missed or doubled.
  if (s.resumeAfter !== undefined) {
    const missed = s.feed.frames.all(s.resumeAfter);
    for (let i = 0; i < missed.length && !stream.ended(); i++) send(missed[i]!);
  }
  stream.onClose(
    s.feed.subscribe((frame) => {
      if (!stream.ended()) send(frame);
    }),
  );
}

/**
 * One listener on the frame log however many streams are open (an EventEmitter warns past ten), attached only while
 * one is, so a monitor nobody watches costs a run nothing.
 */
export class FrameFeed {
  private readonly listeners = new Set<(frame: OcppFrame) => void>();

  constructor(readonly frames: FrameLog) {}

  subscribe(listener: (frame: OcppFrame) => void): () => void {
    if (this.listeners.size === 0) this.frames.on('frame', this.onFrame);
    this.listeners.add(listener);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.frames.off('frame', this.onFrame);
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  private readonly onFrame = (frame: OcppFrame): void => {
    for (const listener of [...this.listeners]) listener(frame);
  };
}

import type { NextFunction, Request, Response } from 'express';

/**
 * Guards the simulator's own pages and control routes (`/monitor`, `/_sim`): they show every message and can change
 * the simulated world, so they answer loopback callers only, even when the hub itself listens on a public address.
 */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  const addr = req.socket.remoteAddress ?? '';
  if (addr === '127.0.0.1' || addr === '::1' || addr.startsWith('::ffff:127.') || addr.startsWith('127.')) {
    next();
    return;
  }
  res.status(403).json({
    error: {
      code: 'LOOPBACK_ONLY',
      message: `${req.path} answers loopback callers only; open it on the machine running hbs-sim`,
    },
  });
}

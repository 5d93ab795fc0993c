/** express-formidable 1.2 ships no types: the one export chot uses (admin/frontDoor.ts). */
declare module 'express-formidable' {
  import type { RequestHandler } from 'express';
  interface Options {
    uploadDir?: string;
    maxFileSize?: number;
    maxFieldsSize?: number;
  }
  type EventAction = (req: any, res: any, next: any, ...args: any[]) => void;
  export default function formidableMiddleware(options?: Options, events?: { event: string; action: EventAction }[]): RequestHandler;
}

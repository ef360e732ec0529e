import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  Controller,
  Get,
  Header,
  Inject,
  type MessageEvent,
  NotFoundException,
  Param,
  Res,
  Sse,
} from '@nestjs/common';
import { type Response } from 'express';
import { interval, map, type Observable, startWith } from 'rxjs';

import { NOC_CONFIG, type NocConfig } from '../noc.config';
import { NocSnapshots } from '../noc-snapshot';

interface Asset {
  readonly type: string;
  readonly body: string;
}

/** The page's files, read once at start: the page itself (apps/noc/src/public) and uPlot's browser build. */
function loadAssets(): { page: string; assets: ReadonlyMap<string, Asset> } {
  const publicDir = join(__dirname, '..', 'public');
  const uplotDir = join(require.resolve('uplot/package.json'), '..', 'dist');
  const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
  return {
    page: read(publicDir, 'index.html'),
    assets: new Map<string, Asset>([
      ['noc.js', { type: 'text/javascript; charset=utf-8', body: read(publicDir, 'noc.js') }],
      ['noc.css', { type: 'text/css; charset=utf-8', body: read(publicDir, 'noc.css') }],
      [
        'uPlot.iife.min.js',
        { type: 'text/javascript; charset=utf-8', body: read(uplotDir, 'uPlot.iife.min.js') },
      ],
      ['uPlot.min.css', { type: 'text/css; charset=utf-8', body: read(uplotDir, 'uPlot.min.css') }],
    ]),
  };
}

/**
 * The NOC page: `GET /` (static HTML and JS), `GET /assets/<file>`, and `GET /stream`, Server-Sent Events with
 * a snapshot every `NOC_PUSH_INTERVAL_MS`. Read-only: nothing here changes anything anywhere, so no route needs
 * a credential (a deployment puts it behind the operators' network or SSO proxy).
 */
@Controller()
export class NocPageController {
  private readonly files = loadAssets();

  constructor(
    private readonly snapshots: NocSnapshots,
    @Inject(NOC_CONFIG) private readonly config: NocConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return this.files.page;
  }

  @Get('assets/:file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string, @Res({ passthrough: true }) response: Response): string {
    const asset = this.files.assets.get(file);
    if (asset === undefined) throw new NotFoundException(`no asset ${file}`);
    response.type(asset.type);
    return asset.body;
  }

  @Sse('stream')
  stream(): Observable<MessageEvent> {
    return interval(this.config.pushIntervalMs).pipe(
      startWith(0),
      map(() => ({ type: 'snapshot', data: this.snapshots.current() })),
    );
  }
}

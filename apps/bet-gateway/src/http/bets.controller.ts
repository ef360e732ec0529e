import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';

import { TenantId } from '@pitboss/security';

import { BetCommands } from '../api/bet-commands';
import { aggregatorCallOf, send } from './aggregator-call';

@Controller('v1')
export class BetsController {
  constructor(private readonly commands: BetCommands) {}

  @Post('sessions')
  async openSession(@TenantId() tenantId: string, @Req() request: Request, @Res() response: Response) {
    send(response, await this.commands.openSession(aggregatorCallOf(request, tenantId)));
  }

  @Post('bets/authorize')
  async authorize(@TenantId() tenantId: string, @Req() request: Request, @Res() response: Response) {
    send(response, await this.commands.authorize(aggregatorCallOf(request, tenantId)));
  }

  @Post('bets/settle')
  async settle(@TenantId() tenantId: string, @Req() request: Request, @Res() response: Response) {
    send(response, await this.commands.settle(aggregatorCallOf(request, tenantId)));
  }

  @Post('bets/rollback')
  async rollback(@TenantId() tenantId: string, @Req() request: Request, @Res() response: Response) {
    send(response, await this.commands.rollback(aggregatorCallOf(request, tenantId)));
  }

  @Get('bets/:betId')
  bet(@TenantId() tenantId: string, @Param('betId') betId: string) {
    return this.commands.bet(tenantId, betId);
  }

  @Get('rounds/:roundId')
  round(@TenantId() tenantId: string, @Param('roundId') roundId: string) {
    return this.commands.round(tenantId, roundId);
  }
}

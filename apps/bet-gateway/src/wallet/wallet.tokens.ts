import { type Provider } from '@nestjs/common';

import { GatewayWallet } from './wallet.provider';

/** The platform wallet (a WalletPort): the sandbox locally, any wallet speaking the contract in production. */
export const WALLET = Symbol('WALLET');

export const walletProviders: Provider[] = [
  GatewayWallet,
  { provide: WALLET, inject: [GatewayWallet], useFactory: (wallet: GatewayWallet) => wallet.port },
];

/** The platform wallet (a WalletPort): the sandbox locally, any wallet speaking the contract in production. */
export const WALLET = Symbol('WALLET');

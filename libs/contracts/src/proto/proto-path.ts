import { join } from 'node:path';

/**
 * Absolute path of bet-gateway's gRPC contract. The .proto is read at run time (proto-loader), so app builds copy
 * it next to the compiled contracts; from source (tsx, jest) it is the file beside this one.
 */
export const BET_GATEWAY_PROTO_PATH = join(__dirname, 'bet-gateway.proto');

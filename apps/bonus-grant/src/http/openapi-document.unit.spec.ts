import 'reflect-metadata';

import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { type OperationObject, type ResponseObject, type SchemaObject } from '@nestjs/swagger';

import { ERROR_CATALOGUE, type ErrorCode } from '@pitboss/contracts';
import { AuditController, ChangeRequestsController } from '@pitboss/governance';

import { EntitlementsController } from './entitlements.controller';
import { GrantsController } from './grants.controller';
import { OffersController } from './offers.controller';
import { buildOpenApiDocument } from './openapi-document';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operationsOf(document: ReturnType<typeof buildOpenApiDocument>) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method] as OperationObject | undefined;
      return operation ? [{ path, method, operation }] : [];
    }),
  );
}

function errorCodes(operation: OperationObject): { status: number; code: ErrorCode }[] {
  return Object.entries(operation.responses)
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([status, response]) => {
      const schema = (response as ResponseObject).content?.['application/json']?.schema as SchemaObject;
      const error = schema.properties?.['error'] as SchemaObject;
      return ((error.properties?.['code'] as SchemaObject).enum as ErrorCode[]).map((code) => ({
        status: Number(status),
        code,
      }));
    });
}

/** `METHOD /path` of every route a controller serves, read from Nest's decorator metadata. */
function routesOf(controller: Type): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
    const handler = (controller.prototype as Record<string, unknown>)[name] as object;
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) return [];
    const route = `/${base}/${path}`
      .replace(/\/+/g, '/')
      .replace(/(.)\/$/, '$1')
      .replace(/:(\w+)/g, '{}');
    return [`${RequestMethod[method]} ${route}`];
  });
}

describe(buildOpenApiDocument.name, () => {
  const sut = buildOpenApiDocument();
  const operations = operationsOf(sut);

  it('Given the controllers, When the document is built, Then it documents exactly their routes', () => {
    const served = [
      OffersController,
      GrantsController,
      EntitlementsController,
      ChangeRequestsController,
      AuditController,
    ]
      .flatMap(routesOf)
      .sort();
    const documented = operations
      .map(({ method, path }) => `${method.toUpperCase()} ${path.replace(/\{\w+\}/g, '{}')}`)
      .sort();
    expect(documented).toEqual(served);
  });

  it('Given each operation, When its errors are read, Then each code is under its catalogue status, once', () => {
    for (const { path, method, operation } of operations) {
      const codes = errorCodes(operation);
      expect({ path, method, count: new Set(codes.map((c) => c.code)).size }).toEqual({
        path,
        method,
        count: codes.length,
      });
      for (const { status, code } of codes) {
        expect({ code, status }).toEqual({ code, status: ERROR_CATALOGUE[code].httpStatus });
      }
      expect(operation.summary).toBeTruthy();
      expect(operation.security?.length).toBeGreaterThan(0);
    }
  });

  it('Given the offer codes, When the document is built, Then each is answered by some operation', () => {
    const documented = new Set(
      operations.flatMap(({ operation }) => errorCodes(operation).map((c) => c.code)),
    );
    const offerCodes: ErrorCode[] = [
      'OFFER_NOT_FOUND',
      'PLAYER_PROFILE_NOT_FOUND',
      'OFFER_ALREADY_EXISTS',
      'OFFER_PENDING_APPROVAL',
      'OFFER_STATUS_CONFLICT',
      'OFFER_INVALID',
      'OFFER_VIOLATES_REGULATION',
      'FOUR_EYES_SELF_APPROVAL',
    ];
    expect(offerCodes.filter((code) => !documented.has(code))).toEqual([]);
  });
});

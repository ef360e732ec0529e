import { type Server } from 'node:http';

import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';

import { mountApiDocs } from './api-docs';
import { generateOpenApiDocument, jsonResponse, OpenAPIRegistry } from './openapi-builder';

@Module({})
class EmptyModule {}

describe(mountApiDocs.name, () => {
  let app: INestApplication;
  let url: string;
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: '/v1/things',
    responses: { '200': jsonResponse('The things.', z.array(z.string()), ['a']) },
  });
  const document = generateOpenApiDocument(registry, {
    title: 'Things API',
    version: '1.0.0',
    description: 'x',
  });

  beforeAll(async () => {
    app = await NestFactory.create(EmptyModule, { logger: false });
    mountApiDocs(app, document);
    await app.listen(0, '127.0.0.1');
    const address = (app.getHttpServer() as Server).address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });

  afterAll(() => app.close());

  it('serves the document as JSON at /docs/openapi.json', async () => {
    const response = await fetch(`${url}/docs/openapi.json`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('serves Swagger UI at /docs, titled after the document', async () => {
    const response = await fetch(`${url}/docs`);

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('swagger-ui');
    expect(html).toContain('<title>Things API</title>');
  });

  it('serves no second (YAML) copy', async () => {
    expect((await fetch(`${url}/docs-yaml`)).status).toBe(404);
  });
});

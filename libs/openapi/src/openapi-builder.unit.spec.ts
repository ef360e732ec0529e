import { z } from 'zod';

import { generateOpenApiDocument, OpenAPIRegistry } from './openapi-builder';

describe('generateOpenApiDocument', () => {
  it('given a nullable enum with a null default, when documented for OpenAPI 3.0, then null is one of its values', () => {
    const registry = new OpenAPIRegistry();
    registry.register(
      'Offer',
      z.object({ product: z.enum(['casino', 'sports']).nullable().default(null), kind: z.enum(['a', 'b']) }),
    );
    const document = generateOpenApiDocument(registry, { title: 't', version: '1', description: 'd' });
    const properties = (document.components?.schemas?.['Offer'] as { properties: Record<string, any> })
      .properties;
    expect(properties['product']).toMatchObject({
      enum: ['casino', 'sports', null],
      nullable: true,
      default: null,
    });
    expect(properties['kind'].enum).toEqual(['a', 'b']);
  });
});

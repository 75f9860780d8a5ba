import AjvModule from 'ajv';

// ajv is CommonJS: under ESM its class is the default export's default.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;
import { runCli } from '../helpers/cli.js';
import { newDatabase } from '../helpers/db.js';

/** JSON Schema written from the field table of the Kantara Consent Receipt Specification v1.1. */
const RECEIPT_SCHEMA = {
  type: 'object',
  required: ['version', 'jurisdiction', 'consentTimestamp', 'collectionMethod', 'consentReceiptID', 'piiPrincipalId', 'piiControllers', 'policyUrl', 'services', 'sensitive', 'spiCat'],
  properties: {
    version: { const: 'KI-CR-v1.1.0' },
    jurisdiction: { type: 'string', minLength: 1 },
    consentTimestamp: { type: 'integer', minimum: 0 },
    collectionMethod: { type: 'string', minLength: 1 },
    consentReceiptID: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' },
    publicKey: { type: 'string' },
    language: { type: 'string', pattern: '^[a-z]{2}$' },
    piiPrincipalId: { type: 'string', minLength: 1 },
    piiControllers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['piiController', 'contact', 'address', 'email', 'phone'],
        properties: {
          piiController: { type: 'string' },
          onBehalf: { type: 'boolean' },
          contact: { type: 'string' },
          address: { type: 'object' },
          email: { type: 'string' },
          phone: { type: 'string' },
          piiControllerUrl: { type: 'string' },
        },
      },
    },
    policyUrl: { type: 'string', pattern: '^https?://' },
    services: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['service', 'purposes'],
        properties: {
          service: { type: 'string' },
          purposes: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['purpose', 'purposeCategory', 'consentType', 'piiCategory', 'termination', 'thirdPartyDisclosure'],
              properties: {
                purpose: { type: 'string' },
                purposeCategory: { type: 'array', items: { type: 'string' } },
                consentType: { type: 'string' },
                piiCategory: { type: 'array', items: { type: 'string' } },
                primaryPurpose: { type: 'boolean' },
                termination: { type: 'string' },
                thirdPartyDisclosure: { type: 'boolean' },
                thirdPartyName: { type: 'string' },
              },
              if: { properties: { thirdPartyDisclosure: { const: true } } },
              then: { required: ['thirdPartyName'] },
            },
          },
        },
      },
    },
    sensitive: { type: 'boolean' },
    spiCat: { type: 'array', items: { type: 'string' } },
  },
};

test('consent receipt validates against the KI-CR-v1.1.0 field table and is filled from the ledger and settings', async () => {
  const db = await newDatabase();
  const run = (...a: string[]) => runCli([...a, '--db', db]);
  await run('init');
  await run('config', 'set', 'controller-name', 'Example Consortium Inc.');
  await run('member', 'add', '--name', 'Ada', '--email', 'ada@example.org', '--status', 'member');
  await run('consent', 'grant', 'ada@example.org', 'credit', '--evidence', 'signed form 12', '--at', '2026-02-01T12:00:00Z');
  const r = await run('consent', 'receipt', 'ada@example.org');
  expect(r.code).toBe(0);
  const receipt = JSON.parse(r.stdout);
  const validate = new Ajv({ allErrors: true }).compile(RECEIPT_SCHEMA);
  expect(validate(receipt)).toBe(true);
  expect(receipt).toMatchObject({ piiPrincipalId: 'ada@example.org', jurisdiction: 'US', consentTimestamp: Date.parse('2026-03-01T10:00:00Z') / 1000, piiControllers: [{ piiController: 'Example Consortium Inc.' }] });
  expect(receipt.services[0].purposes.map((p: { purpose: string }) => p.purpose)).toHaveLength(3);

  const one = JSON.parse((await run('consent', 'receipt', 'ada@example.org', '--purpose', 'credit')).stdout);
  expect(validate(one)).toBe(true);
  expect(one).toMatchObject({ consentTimestamp: Date.parse('2026-02-01T12:00:00Z') / 1000, collectionMethod: 'request: signed form 12' });
  expect(one.services[0].purposes).toEqual([expect.objectContaining({ consentType: 'EXPLICIT', thirdPartyDisclosure: true, thirdPartyName: 'the public' })]);

  await run('consent', 'withdraw', 'ada@example.org', 'credit');
  expect((await run('consent', 'receipt', 'ada@example.org', '--purpose', 'credit')).code).toBe(5);
  expect(validate({ ...receipt, version: 'KI-CR-v1.0.0' })).toBe(false);
  expect((await run('audit', 'list', '--format', 'json')).stdout).toContain(`consent receipt ${receipt.consentReceiptID} for person #1`);
});

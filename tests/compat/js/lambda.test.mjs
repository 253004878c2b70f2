// @aws-sdk/client-lambda (JS SDK v3) against a real Kindling server: the core control-plane flow and
// error cases, with exact fields, HTTP status codes, error names and messages.
// Run: node --test tests/compat/js/

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand, DeleteLayerVersionCommand, GetAccountSettingsCommand, GetAliasCommand,
  GetFunctionCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetLayerVersionCommand,
  GetPolicyCommand, ListTagsCommand, ListVersionsByFunctionCommand, PublishLayerVersionCommand,
  PublishVersionCommand, PutFunctionConcurrencyCommand, RemovePermissionCommand, TagResourceCommand,
  UntagResourceCommand, UpdateAliasCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
  paginateListFunctions, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import {
  ACCOUNT, KindlingServer, LAMBDA_DATE_RE, ROLE, bootstrapZip, expectServiceError, functionArn, layerArn,
  makeZip, sha256b64, uniqueName, waiterConfig,
} from './harness.mjs';

const server = new KindlingServer();
let lambda;

before(async () => {
  await server.start();
  lambda = server.client();
});

after(async () => {
  lambda?.destroy();
  await server.cleanup();
});

async function createActive(name, extra = {}) {
  const code = bootstrapZip(name);
  const created = await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Role: ROLE, Runtime: 'provided.al2023', Handler: 'bootstrap', Code: { ZipFile: code }, ...extra,
  }));
  const waited = await waitUntilFunctionActiveV2(waiterConfig(lambda), { FunctionName: name });
  assert.equal(waited.state, 'SUCCESS');
  return { created, code };
}

describe('functions', () => {
  test('CreateFunction_Defaults_PendingThenActiveWithNewRevision', async () => {
    const name = uniqueName('js');
    const code = bootstrapZip(name);
    const created = await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Role: ROLE, Runtime: 'provided.al2023', Handler: 'bootstrap', Code: { ZipFile: code },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.FunctionName, name);
    assert.equal(created.FunctionArn, functionArn(name));
    assert.equal(created.State, 'Pending');
    assert.equal(created.StateReason, 'The function is being created.');
    assert.equal(created.StateReasonCode, 'Creating');
    assert.equal(created.LastUpdateStatus, undefined);
    assert.equal(created.CodeSha256, sha256b64(code));
    assert.equal(created.CodeSize, code.length);
    assert.equal(created.Timeout, 3);
    assert.equal(created.MemorySize, 128);
    assert.equal(created.Description, '');
    assert.equal(created.Version, '$LATEST');
    assert.equal(created.PackageType, 'Zip');
    assert.deepEqual(created.Architectures, ['x86_64']);
    assert.deepEqual(created.EphemeralStorage, { Size: 512 });
    assert.deepEqual(created.TracingConfig, { Mode: 'PassThrough' });
    assert.deepEqual(created.LoggingConfig, { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
    assert.match(created.LastModified, LAMBDA_DATE_RE);

    const waited = await waitUntilFunctionActiveV2(waiterConfig(lambda), { FunctionName: name });
    assert.equal(waited.state, 'SUCCESS');
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.equal(got.Configuration.State, 'Active');
    assert.equal(got.Configuration.LastUpdateStatus, 'Successful');
    assert.notEqual(got.Configuration.RevisionId, created.RevisionId);
    assert.equal(got.Code.RepositoryType, 'S3');
    assert.ok(got.Code.Location.startsWith('http'));
  });

  test('GetFunction_PartialAndFullArn_SameConfiguration', async () => {
    const name = uniqueName('jsforms');
    await createActive(name);
    const byName = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
    const byPartial = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${ACCOUNT}:function:${name}` }));
    const byArn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn(name) }));
    const strip = ({ $metadata, ...rest }) => rest;
    assert.deepEqual(strip(byPartial), strip(byName));
    assert.deepEqual(strip(byArn), strip(byName));
  });

  test('ListFunctions_Paginator_FindsAllCreated', async () => {
    const prefix = uniqueName('jslist');
    const names = [];
    for (let i = 0; i < 4; i++) {
      const name = `${prefix}-${i}`;
      names.push(name);
      await lambda.send(new CreateFunctionCommand({
        FunctionName: name, Role: ROLE, Runtime: 'provided.al2023', Handler: 'bootstrap',
        Code: { ZipFile: bootstrapZip(name) },
      }));
    }
    const seen = [];
    let pages = 0;
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 2 }, {})) {
      pages += 1;
      assert.ok(page.Functions.length <= 2);
      for (const fn of page.Functions) {
        seen.push(fn.FunctionName);
        assert.equal(fn.FunctionArn, functionArn(fn.FunctionName));
        assert.equal(fn.State, undefined);
      }
    }
    assert.ok(pages >= 2);
    for (const name of names) assert.equal(seen.filter((n) => n === name).length, 1, name);
    assert.equal(new Set(seen).size, seen.length);
  });

  test('UpdateFunctionConfigurationAndCode_InProgressThenWaiterUpdated', async () => {
    const name = uniqueName('jsupd');
    const { created } = await createActive(name);
    const upd = await lambda.send(new UpdateFunctionConfigurationCommand({
      FunctionName: name, Description: 'js update', MemorySize: 256, Environment: { Variables: { FROM: 'js' } },
    }));
    assert.equal(upd.$metadata.httpStatusCode, 200);
    assert.equal(upd.LastUpdateStatus, 'InProgress');
    assert.equal(upd.LastUpdateStatusReasonCode, 'Creating');
    assert.equal(upd.MemorySize, 256);
    assert.notEqual(upd.RevisionId, created.RevisionId);
    assert.equal((await waitUntilFunctionUpdatedV2(waiterConfig(lambda), { FunctionName: name })).state, 'SUCCESS');
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(cfg.LastUpdateStatus, 'Successful');
    assert.equal(cfg.Description, 'js update');
    assert.deepEqual(cfg.Environment, { Variables: { FROM: 'js' } });

    const newCode = bootstrapZip(`${name}-v2`);
    const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: newCode }));
    assert.equal(code.LastUpdateStatus, 'InProgress');
    assert.equal(code.CodeSha256, sha256b64(newCode));
    assert.equal((await waitUntilFunctionUpdatedV2(waiterConfig(lambda), { FunctionName: name })).state, 'SUCCESS');
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(after.CodeSha256, sha256b64(newCode));
    assert.equal(after.CodeSize, newCode.length);
  });

  test('UpdateFunctionConfiguration_StaleRevision_PreconditionFailed412', async () => {
    const name = uniqueName('jsrev');
    await createActive(name);
    await expectServiceError(assert, () => lambda.send(new UpdateFunctionConfigurationCommand({
      FunctionName: name, Description: 'x', RevisionId: '00000000-0000-0000-0000-000000000000',
    })), {
      name: 'PreconditionFailedException', status: 412,
      message: 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    });
  });

  test('CreateFunction_Duplicate_ResourceConflict409', async () => {
    const name = uniqueName('jsdup');
    await createActive(name);
    await expectServiceError(assert, () => lambda.send(new CreateFunctionCommand({
      FunctionName: name, Role: ROLE, Runtime: 'provided.al2023', Handler: 'bootstrap', Code: { ZipFile: bootstrapZip() },
    })), { name: 'ResourceConflictException', status: 409, message: `Function already exist: ${name}` });
  });

  test('CreateFunction_Memory64_ValidationException400', async () => {
    const name = uniqueName('jsval');
    await expectServiceError(assert, () => lambda.send(new CreateFunctionCommand({
      FunctionName: name, Role: ROLE, Runtime: 'provided.al2023', Handler: 'bootstrap', MemorySize: 64,
      Code: { ZipFile: bootstrapZip() },
    })), {
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    });
  });

  test('DeleteFunction_ThenGet_ResourceNotFound404', async () => {
    const name = uniqueName('jsdel');
    await createActive(name);
    const del = await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    const err = await expectServiceError(assert, () => lambda.send(new GetFunctionCommand({ FunctionName: name })), {
      name: 'ResourceNotFoundException', status: 404,
      message: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    });
    assert.equal(err.Type, 'User');
  });

  test('GetAccountSettings_CreateFunction_CountAndSizeGrow', async () => {
    const before = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(before.AccountLimit.CodeSizeZipped, 52428800);
    assert.equal(before.AccountLimit.CodeSizeUnzipped, 262144000);
    const name = uniqueName('jsacct');
    const { code } = await createActive(name);
    const after = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(after.AccountUsage.FunctionCount, before.AccountUsage.FunctionCount + 1);
    assert.equal(after.AccountUsage.TotalCodeSize, before.AccountUsage.TotalCodeSize + code.length);
  });
});

describe('versions and aliases', () => {
  test('PublishVersion_201Then_SameVersionWhenUnchanged_AliasCrud', async () => {
    const name = uniqueName('jspub');
    await createActive(name);
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, functionArn(name, '1'));
    const w = await waitUntilPublishedVersionActive(waiterConfig(lambda), { FunctionName: name, Qualifier: '1' });
    assert.equal(w.state, 'SUCCESS');
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(again.Version, '1');
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(versions.Versions.map((v) => v.Version), ['$LATEST', '1']);

    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    assert.equal(alias.$metadata.httpStatusCode, 201);
    assert.equal(alias.AliasArn, functionArn(name, 'live'));
    assert.equal(alias.FunctionVersion, '1');
    assert.equal(alias.Description, '');
    const got = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    assert.equal(got.RevisionId, alias.RevisionId);
    const upd = await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', Description: 'd' }));
    assert.equal(upd.Description, 'd');
    assert.notEqual(upd.RevisionId, alias.RevisionId);
    await expectServiceError(assert, () => lambda.send(new CreateAliasCommand({
      FunctionName: name, Name: 'live', FunctionVersion: '1',
    })), { name: 'ResourceConflictException', status: 409, message: `Alias already exists: ${functionArn(name, 'live')}` });
    const del = await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await expectServiceError(assert, () => lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' })), {
      name: 'ResourceNotFoundException', status: 404, message: `Cannot find alias arn: ${functionArn(name, 'live')}`,
    });
  });

  test('CreateAlias_TwoAdditionalWeights_InvalidParameterValue400', async () => {
    const name = uniqueName('jsweights');
    await createActive(name);
    for (let i = 1; i <= 3; i++) {
      if (i > 1) {
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `v${i}` }));
        await waitUntilFunctionUpdatedV2(waiterConfig(lambda), { FunctionName: name });
      }
      assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version, String(i));
    }
    await expectServiceError(assert, () => lambda.send(new CreateAliasCommand({
      FunctionName: name, Name: 'two', FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { 2: 0.1, 3: 0.1 } },
    })), {
      name: 'InvalidParameterValueException', status: 400,
      message: 'Number of items in AdditionalVersionWeights cannot be greater than 1',
    });
  });
});

describe('layers, concurrency, tags, policy', () => {
  test('PublishLayerVersion_GetDelete', async () => {
    const name = uniqueName('jslayer');
    const content = makeZip({ 'lib/x.txt': 'x' });
    const pub = await lambda.send(new PublishLayerVersionCommand({
      LayerName: name, Content: { ZipFile: content }, CompatibleRuntimes: ['provided.al2023'],
    }));
    assert.equal(pub.$metadata.httpStatusCode, 201);
    assert.equal(pub.LayerArn, layerArn(name));
    assert.equal(pub.LayerVersionArn, layerArn(name, 1));
    assert.equal(pub.Version, 1);
    assert.equal(pub.Content.CodeSha256, sha256b64(content));
    assert.equal(pub.Content.CodeSize, content.length);
    assert.match(pub.CreatedDate, LAMBDA_DATE_RE);
    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(got.LayerVersionArn, layerArn(name, 1));
    assert.deepEqual(got.CompatibleRuntimes, ['provided.al2023']);
    const del = await lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await expectServiceError(assert, () => lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 })), {
      name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.',
    });
  });

  test('PutFunctionConcurrency_GetDelete_AndUnreservedMinimum', async () => {
    const name = uniqueName('jsconc');
    await createActive(name);
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 5 }));
    assert.equal(put.ReservedConcurrentExecutions, 5);
    const got = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(got.ReservedConcurrentExecutions, 5);
    const del = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, undefined);
    await expectServiceError(assert, () => lambda.send(new PutFunctionConcurrencyCommand({
      FunctionName: name, ReservedConcurrentExecutions: 901,
    })), {
      name: 'InvalidParameterValueException', status: 400,
      message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
  });

  test('TagResource_ListTags_Untag', async () => {
    const name = uniqueName('jstag');
    await createActive(name, { Tags: { a: '1' } });
    const tagged = await lambda.send(new TagResourceCommand({ Resource: functionArn(name), Tags: { b: '2' } }));
    assert.equal(tagged.$metadata.httpStatusCode, 204);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: functionArn(name) }))).Tags, { a: '1', b: '2' });
    await lambda.send(new UntagResourceCommand({ Resource: functionArn(name), TagKeys: ['a'] }));
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: functionArn(name) }))).Tags, { b: '2' });
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Tags, { b: '2' });
  });

  test('AddPermission_GetPolicy_RemovePermission', async () => {
    const name = uniqueName('jsperm');
    await createActive(name);
    const added = await lambda.send(new AddPermissionCommand({
      FunctionName: name, StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com',
      SourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/r`,
    }));
    assert.equal(added.$metadata.httpStatusCode, 201);
    const statement = {
      Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction',
      Resource: functionArn(name), Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/r` } },
    };
    assert.deepEqual(JSON.parse(added.Statement), statement);
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: name }));
    assert.deepEqual(JSON.parse(policy.Policy), { Version: '2012-10-17', Id: 'default', Statement: [statement] });
    await expectServiceError(assert, () => lambda.send(new AddPermissionCommand({
      FunctionName: name, StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com',
    })), {
      name: 'ResourceConflictException', status: 409,
      message: 'The statement id (events) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: 'events' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await expectServiceError(assert, () => lambda.send(new GetPolicyCommand({ FunctionName: name })), {
      name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.',
    });
  });
});

describe('errors', () => {
  test('GetFunction_Unknown_ResourceNotFoundWithArn', async () => {
    const name = uniqueName('jsnone');
    const err = await expectServiceError(assert, () => lambda.send(new GetFunctionCommand({ FunctionName: name })), {
      name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${functionArn(name)}`,
    });
    assert.equal(err.$fault, 'client');
  });

  test('WrongSecret_InvalidSignatureException403', async () => {
    const bad = server.client({ secretAccessKey: 'q'.repeat(40) });
    try {
      await expectServiceError(assert, () => bad.send(new GetAccountSettingsCommand({})), {
        name: 'InvalidSignatureException', status: 403,
        messagePrefix: 'The request signature we calculated does not match the signature you provided.',
      });
    } finally {
      bad.destroy();
    }
  });

  test('UnknownAccessKey_UnrecognizedClientException403', async () => {
    const bad = server.client({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'w'.repeat(40) });
    try {
      await expectServiceError(assert, () => bad.send(new GetAccountSettingsCommand({})), {
        name: 'UnrecognizedClientException', status: 403, message: 'The security token included in the request is invalid.',
      });
    } finally {
      bad.destroy();
    }
  });
});

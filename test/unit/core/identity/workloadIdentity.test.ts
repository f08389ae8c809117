import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  audienceFitsProvider,
  audienceSystem,
  cloudIdentityOf,
  cloudProvider,
  describeAudience,
  expectedAudience,
  expirationProblem,
  issuerSystem,
} from '../../../../src/core/identity/workloadIdentity';
import { explainText } from '../../../../src/core/tokens/explain';
import { inspectToken, isTokenError } from '../../../../src/core/tokens/inspect';
import { generateKeys, mintJwt } from '../tokens/mint';

describe('audienceSystem', () => {
  const cases: [string, string | undefined][] = [
    ['sts.amazonaws.com', 'aws-irsa'],
    ['sts.us-gov-west-1.amazonaws.com', 'aws-irsa'],
    ['sts.amazonaws.com.cn', 'aws-irsa'],
    ['pods.eks.amazonaws.com', 'eks-pod-identity'],
    ['api://AzureADTokenExchange', 'azure-workload-identity'],
    ['api://AzureADTokenExchangeUSGov', 'azure-workload-identity'],
    ['my-project-123.svc.id.goog', 'gke-workload-identity'],
    ['my-project-123.hub.id.goog', 'gke-workload-identity'],
    ['//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/providers/k8s', 'google-wif'],
    [
      'https://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/providers/k8s',
      'google-wif',
    ],
    ['https://kubernetes.default.svc.cluster.local', 'kubernetes'],
    ['https://kubernetes.default.svc', 'kubernetes'],
    ['spiffe://example.org/ns/default/sa/app', 'spiffe'],
    ['spire-server', 'spiffe'],
    ['vault', 'vault'],
    ['https://vault.example.com:8200', 'vault'],
    // Near misses stay unnamed: a lookalike host, a path on another host, a word containing "vault".
    ['sts.amazonaws.com.evil.example', undefined],
    ['https://example.com/api://AzureADTokenExchange', undefined],
    ['vaulted-app', undefined],
    ['my-app', undefined],
    ['', undefined],
  ];
  for (const [audience, system] of cases) {
    it(`${JSON.stringify(audience)} → ${system ?? 'nothing'}`, () => {
      assert.equal(audienceSystem(audience)?.system, system);
    });
  }

  it('says "likely" for naming conventions and names exact shapes plainly', () => {
    assert.equal(describeAudience('vault'), "likely HashiCorp Vault's Kubernetes/JWT auth");
    assert.equal(describeAudience('sts.amazonaws.com'), 'AWS STS (EKS IAM Roles for Service Accounts)');
  });
});

describe('issuerSystem', () => {
  it('names EKS, AKS and GKE issuers and nothing else', () => {
    assert.equal(
      issuerSystem('https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF')?.issuer,
      'eks',
    );
    assert.equal(
      issuerSystem(
        'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/1d6c4e3b-0b4a-4b6a-9d5e-2f3c1a2b3c4d/',
      )?.issuer,
      'aks',
    );
    assert.equal(
      issuerSystem('https://container.googleapis.com/v1/projects/p/locations/europe-west1/clusters/c')?.issuer,
      'gke',
    );
    assert.equal(issuerSystem('https://kubernetes.default.svc.cluster.local'), undefined);
    assert.equal(issuerSystem('https://oidc.eks.eu-west-1.amazonaws.com.evil.example/id/X'), undefined);
  });
});

describe('cloud identity providers', () => {
  it('finds the provider a ServiceAccount opts into, and its expected audience', () => {
    const aws = new Map([['eks.amazonaws.com/role-arn', 'arn:aws:iam::123456789012:role/app']]);
    assert.equal(cloudIdentityOf(aws)?.provider, 'aws');
    assert.equal(expectedAudience(cloudProvider('aws'), aws), 'sts.amazonaws.com');
    const custom = new Map([...aws, ['eks.amazonaws.com/audience', 'my-aud']]);
    assert.equal(expectedAudience(cloudProvider('aws'), custom), 'my-aud');
    assert.equal(cloudIdentityOf(new Map([['azure.workload.identity/client-id', 'x']]))?.provider, 'azure');
    assert.equal(
      cloudIdentityOf(new Map([['iam.gke.io/gcp-service-account', 'a@p.iam.gserviceaccount.com']]))?.provider,
      'gcp',
    );
    assert.equal(cloudIdentityOf(new Map([['app', 'x']])), undefined);
  });

  it('judges an audience against a provider: fits, another system, or cannot tell', () => {
    const azure = cloudProvider('azure');
    assert.equal(audienceFitsProvider('api://AzureADTokenExchange', azure), true);
    assert.equal(audienceFitsProvider('sts.amazonaws.com', azure), false);
    assert.equal(audienceFitsProvider('my-own-audience', azure), undefined);
    assert.equal(audienceFitsProvider('my-project.svc.id.goog', cloudProvider('gcp')), true);
    assert.equal(audienceFitsProvider('vault', cloudProvider('aws')), undefined, 'a convention proves nothing');
  });

  it('checks expiration annotations against each webhook range', () => {
    assert.equal(expirationProblem(cloudProvider('aws'), '86400'), undefined);
    assert.match(expirationProblem(cloudProvider('aws'), '300') ?? '', /raises values under 600/);
    assert.match(expirationProblem(cloudProvider('aws'), '172800') ?? '', /86400/);
    assert.match(expirationProblem(cloudProvider('aws'), '1h') ?? '', /not a whole number/);
    assert.equal(expirationProblem(cloudProvider('azure'), '3600'), undefined);
    assert.match(expirationProblem(cloudProvider('azure'), '600') ?? '', /3600 to 86400/);
    assert.equal(expirationProblem(cloudProvider('gcp'), '1'), undefined);
  });
});

describe('decoded view and hover name the audience and issuer systems', () => {
  it('appends the system to each audience and to the issuer', async () => {
    const keys = await generateKeys('RS256');
    const token = await mintJwt(keys, {
      iss: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
      aud: ['sts.amazonaws.com', 'my-app'],
      sub: 'system:serviceaccount:default:app',
    });
    const report = inspectToken(token);
    if (isTokenError(report)) assert.fail(report.error);
    const text = explainText(report, { timeZone: 'utc' });
    assert.match(text, /Audience: +sts\.amazonaws\.com \(AWS STS \(EKS IAM Roles for Service Accounts\)\), my-app\n/);
    assert.match(
      text,
      /Issuer: +https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/0123456789ABCDEF0123456789ABCDEF \(Amazon EKS cluster OIDC issuer\)/,
    );
  });
});

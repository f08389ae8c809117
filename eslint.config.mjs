import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const clientNode = {
  name: '@kubernetes/client-node',
  message: 'Only src/kube may import @kubernetes/client-node (it is loaded lazily as dist/kube.js).',
};

const NOTIFICATION = '/^show(Information|Warning|Error)Message$/';

/**
 * Files outside src/core that are pure too: the CLI (it runs without VS Code) and the parts of features that are
 * unit-tested in plain Node. A new pure feature file joins this list.
 */
const PURE_OUTSIDE_CORE = [
  'src/cli.ts',
  'src/cli/**/*.ts',
  'src/code/**/*.ts',
  'src/{codeLoader,kubeLoader,verifyLoader}.ts',
  'src/features/shared/{clusterKeys,clusterTokenSecrets,debounce,services,settingChecks,settingValues,trust}.ts',
  'src/features/cluster/{ids,kubeApi,load,nodes,permissions,present,session,tokenSecretPublishing,watches}.ts',
  'src/features/manifests/settings.ts',
  'src/features/tokens/{display,inspector,keyFilePaths,signature}.ts',
  'src/features/troubleshoot/ids.ts',
  'src/features/walkthrough/samples.ts',
];

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', '.cache/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [clientNode] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [clientNode, { name: 'vscode', message: 'src/core is pure: translate to vscode in src/features.' }],
        },
      ],
    },
  },
  {
    files: PURE_OUTSIDE_CORE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            clientNode,
            {
              name: 'vscode',
              message: 'This file is pure (unit-tested in plain Node, or the CLI): see PURE_OUTSIDE_CORE.',
            },
          ],
        },
      ],
    },
  },
  { files: ['src/kube/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    // VS Code turns `[label](command:…)` in notification text into a link: messages go through FeatureContext's
    // show*Message, which neutralises that syntax in the whole text (issue 10, item 1).
    files: ['src/**/*.ts'],
    ignores: ['src/features/shared/context.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `MemberExpression[property.name=${NOTIFICATION}][object.name='window'], MemberExpression[property.name=${NOTIFICATION}][object.property.name='window']`,
          message:
            'Show notifications through FeatureContext (context.showInformationMessage etc.): untrusted text must not form links.',
        },
      ],
    },
  },
  {
    files: ['src/kube/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/kube is shared with the CLI.' }] }],
    },
  },
  prettier,
);

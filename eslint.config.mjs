import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const clientNode = {
  name: '@kubernetes/client-node',
  message: 'Only src/kube may import @kubernetes/client-node (it is loaded lazily as dist/kube.js).',
};

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
  { files: ['src/kube/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/kube/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/kube is shared with the CLI.' }] }],
    },
  },
  prettier,
);

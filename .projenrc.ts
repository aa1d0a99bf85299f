import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-traffic',
  description:
    'cdk8s constructs for Kubernetes Services and Ingresses, validated like the API server, with a local dataplane model that traces requests end to end.',
  author: 'cdk8s-traffic developers',
  authorAddress: 'cdk8s-traffic@example.com',
  repositoryUrl: 'https://example.com/cdk8s-traffic.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'kubernetes', 'service', 'ingress', 'ingress-nginx', 'kube-proxy', 'dns'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  bundledDeps: ['yaml@^2.9.0', 'commander@^14.0.0'],
  // The cdk8s-traffic command (src/cli/main.ts).
  bin: { 'cdk8s-traffic': 'lib/cli/main.js' },
  devDeps: ['@types/node@^20', '@kubernetes-models/gateway-api@^2', 'fast-check@^4', 'kubernetes-models@^5', 'tinybench@^6'],

  // JavaScript only: the other jsii toolchains cannot be reached from our machines.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
    commandOptions: { fix: false },
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      // examples/ holds the pattern an app repo copies: a jest test against the model.
      testMatch: ['<rootDir>/@(src|test)/**/*(*.)@(spec|test).ts?(x)', '<rootDir>/examples/**/*.test.ts'],
    },
  },
  gitignore: ['/examples/**/dist/', '/bench/results.local.json'],
});

project.addTask('example', {
  description: 'Synthesize the seed app to dist/, check it and trace a few requests',
  exec: 'ts-node --project examples/tsconfig.json examples/seed/main.ts',
});

project.addTask('bench', {
  description: 'Benchmarks: synth against cdk8s-plus-27 and raw L1, model compile, queries, checks (writes bench/results.json)',
  exec: 'ts-node --project bench/tsconfig.json bench/main.ts',
  receiveArgs: true,
});

project.synth();

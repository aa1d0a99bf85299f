import { cdk8s, javascript, release } from 'projen';

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
  bundledDeps: ['yaml@^2.9.0', 'commander@^14.0.0'],
  // The cdk8s-traffic command (src/cli/main.ts).
  bin: { 'cdk8s-traffic': 'lib/cli/main.js' },
  devDeps: ['@types/node@^20', '@kubernetes-models/gateway-api@^2', '@xmldom/xmldom@^0.9', 'cdk8s-cli@^2', 'fast-check@^4', 'kubernetes-models@^5', 'tinybench@^6'],

  // JavaScript only: the other jsii toolchains cannot be reached from our machines.
  github: false,
  // A maintainer cuts releases: `npx projen release` bumps the version from the commits (the first
  // release is 0.1.0), builds and packs dist/js, writes CHANGELOG.md and tags; `publish:npm` uploads.
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual({ gitPushCommand: 'git push --follow-tags origin main' }),
  nextVersionCommand: 'git tag --list "v*" | grep -q . || echo 0.1.0',
  // Commits are titled `<area>: what and why`; the changelog groups them by area.
  versionrcOptions: {
    types: [
      ['feat', 'Features'], ['fix', 'Fixes'], ['constructs', 'Constructs'], ['service', 'Constructs'], ['ingress', 'Constructs'],
      ['gateway', 'Constructs'], ['api', 'API rules'], ['dataplane', 'Model'], ['model', 'Model'], ['checks', 'Checks'],
      ['cluster', 'Model'], ['cli', 'CLI'], ['assertions', 'Assertions'], ['report', 'CLI'], ['package', 'Package'],
    ].map(([type, section]) => ({ type, section })),
  },
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

// The package holds the compiled library, its jsii assembly and API.md (README, LICENSE and the
// bundled dependencies come along by npm's rules): no examples (and their keys), tests, bench or CI.
project.addFields({ files: ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md'] });
// Without GitHub workflows projen makes no publish task; this is the one its npm job runs.
project.addTask('publish:npm', {
  description: 'Publish the package `release` packed into dist/js to npm (needs NPM_TOKEN)',
  requiredEnv: ['NPM_TOKEN'],
  env: { NPM_DIST_TAG: 'latest', NPM_REGISTRY: 'registry.npmjs.org' },
  exec: 'npx -p publib@0 publib-npm',
});

// Apps use any cdk8s-plus major (27 … 33); the library reads their constructs' ApiObjects, so it
// needs none at runtime. The constructs' tests run against workloads of the oldest and newest.
project.addDevDeps('cdk8s-plus-27@^2.9.5', 'cdk8s-plus-33@^2.5.57');

// `cdk8s-traffic report` renders the topology to SVG with Graphviz compiled to WebAssembly; its
// test drives Debian's chromium (.ci/run installs it) with playwright-core.
project.addBundledDeps('@viz-js/viz@^3');
project.addDevDeps('playwright-core@^1');

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

import { cdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk.JsiiProject({
  name: 'cdk8s-ordered',
  description: 'Startup ordering for cdk8s: declare api.dependsOn(db) and get plain Kubernetes YAML that enforces it (init containers, RBAC), with no controller.',
  author: 'cdk8s-ordered maintainers',
  authorAddress: 'maintainers@cdk8s-ordered.dev',
  repositoryUrl: 'https://github.com/cdk8s-ordered/cdk8s-ordered.git',
  homepage: 'https://github.com/cdk8s-ordered/cdk8s-ordered#readme',
  bugsUrl: 'https://github.com/cdk8s-ordered/cdk8s-ordered/issues',
  defaultReleaseBranch: 'main',
  license: 'Apache-2.0',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  keywords: ['cdk8s', 'kubernetes', 'startup', 'ordering', 'init-containers', 'dependencies', 'jsii'],

  // Sources live in lib/ (as in AWS CDK's own packages); compiled output goes
  // to build/ so it never collides with lib/*.ts.
  srcdir: 'lib',
  entrypoint: 'build/index.js',
  libdir: 'build',
  testdir: 'test',
  // Packaged artifacts (jsii-pacmak) go to pkg/, leaving dist/ for synthesized YAML.
  artifactsDirectory: 'pkg',

  jsiiVersion: '~5.9.0',

  // The library reads manifests, not cdk8s-plus types: any cdk8s-plus (27 to 34) or raw ApiObjects work.
  peerDeps: [
    'cdk8s@^2.68.71',
    'constructs@^10.5.0',
  ],
  // The command line reads YAML; a bundled dependency keeps it out of users' dependency trees.
  bundledDeps: ['yaml@^2.9.1'],
  bin: { 'cdk8s-ordered': 'bin/cdk8s-ordered' },
  devDeps: [
    'cdk8s-cli@2.207.60',
    // The examples and most tests use cdk8s-plus-27; the same graphs are also built with cdk8s-plus-33 and raw objects.
    'cdk8s-plus-27@2.9.5',
    'cdk8s-plus-33@2.5.57',
    // The Kubernetes API schemas the tests validate every synthesized object
    // against (generated from the official OpenAPI documents by kubernetes-models):
    // 4.3.1 is Kubernetes 1.27.1 (cdk8s-plus-27's version), 5.1.0 is 1.34, the newest on npm.
    'kubernetes-models-1.27@npm:kubernetes-models@4.3.1',
    'kubernetes-models-1.34@npm:kubernetes-models@5.1.0',
    // Property tests: generated strings against the input checkers and the kubelet escape.
    'fast-check@^4',
  ],

  publishToPypi: {
    distName: 'cdk8s-ordered',
    module: 'cdk8s_ordered',
  },
  publishToMaven: {
    javaPackage: 'dev.cdk8sordered',
    mavenGroupId: 'dev.cdk8s-ordered',
    mavenArtifactId: 'cdk8s-ordered',
  },
  publishToNuget: {
    dotNetNamespace: 'Cdk8sOrdered',
    packageId: 'Cdk8sOrdered',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-ordered/cdk8s-ordered-go',
  },

  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  docgen: true,

  jestOptions: {
    // Snapshots never update themselves: a changed snapshot is a failing test.
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/examples/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/build/', '/pkg/'],
    },
  },
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench', 'e2e'],
  },
  gitignore: ['/dist/', '/pkg/', '/.e2e/', '/.tools/', '/bench/results/', '/bench/out/', '/test-reports/', '.jsii.tabl.json'],

});

// README and doc-comment examples build workloads with cdk8s-plus, which the library itself does not depend on.
project.package.addField('jsiiRosetta', { exampleDependencies: { 'cdk8s-plus-27': '2.9.5', 'cdk8s-plus-33': '2.5.57' } });

// Published as 0.x until the API settles: projen writes 0.0.0 outside release builds, so the version is set here.
project.package.addVersion('0.1.0');

for (const p of ['/examples/', '/bench/', '/.ci/', '/e2e/', '/scripts/', '/cdk8s.yaml']) {
  project.addPackageIgnore(p);
}

// jsii warnings are errors. The one silenced warning is C#'s reserved word
// `namespace`: it is the Kubernetes name, as in cdk8s's own ChartProps, and
// jsii renders it as the property `Namespace` in C#.
project.compileTask.reset('jsii --silence-warnings=reserved-word --fail-on-warnings');
// The waiter scripts are shell files (lib/sh/*.sh, and each check's lib/checks/<kind>/*.sh), read when the module
// loads: ship them beside the compiled code, in the same folders.
project.compileTask.exec('bash scripts/copy-shell.sh');
project.addPackageIgnore('!/build/sh/*.sh');
project.addPackageIgnore('!/build/checks/*/*.sh');
project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');
project.tasks.addEnvironment('CDK8S_CHECK_UPGRADE', 'false');

// The main job: synthesize the main example (examples/db-api) into dist/.
project.addTask('synth', {
  description: 'Synthesize the main example (examples/db-api) into dist/',
  exec: 'cdk8s synth',
});

// Re-synthesize every example into its committed dist/ (tests fail when they differ).
project.addTask('examples', {
  description: 'Re-synthesize examples/*/dist/*.k8s.yaml',
  exec: 'bash scripts/synth-examples.sh',
});

// README and doc-comment examples compile against the real API (rosetta fixtures in rosetta/).
project.addTask('rosetta', {
  description: 'Compile every TypeScript example in README.md and doc comments (jsii-rosetta)',
  exec: 'jsii-rosetta extract --compile --fail',
});

// Code generation for every jsii language (what works offline), and the generated Python compiles.
project.addTask('languages', {
  description: 'Generate Python, Java, .NET and Go sources with jsii-pacmak and compile the Python',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go',
});

// End-to-end suite: real containers with podman.
project.addTask('e2e', {
  description: 'Run the podman end-to-end suite (needs podman and busybox-static)',
  exec: 'jest --config e2e/jest.config.json --ci --runInBand --forceExit',
});

project.synth();
